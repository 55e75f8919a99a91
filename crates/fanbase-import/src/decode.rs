//! Raw file bytes to a stream of UTF-8 text, never holding the whole file: BOM detection, UTF-16
//! through encoding_rs, bytes that are not valid UTF-8 read as Windows-1252 (and remembered, so
//! the report can say where), a lone CR (old Mac line end) turned into LF so that lines count
//! the same in every file, and a cap on one record's size.

use std::collections::VecDeque;
use std::io::{self, Read};

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How much of the file is read at a time, and looked at to detect the encoding and delimiter.
pub const CHUNK: usize = 64 * 1024;
/// The longest record accepted, in decoded bytes: more means a broken file (an unclosed quote).
pub const MAX_RECORD_BYTES: u64 = 1024 * 1024;
/// How many Windows-1252 fallback positions are kept waiting for their line number.
const MAX_PENDING_FALLBACKS: usize = 4096;

/// The encoding the file was read with, as the report names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// The reason the first bytes are not text, for `Error::NotCsv`.
pub fn binary_reason(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive, such as an Excel .xlsx workbook"),
        (b"\xD0\xCF\x11\xE0", "an old Excel .xls workbook"),
        (b"%PDF", "a PDF document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"SQLite format 3\0", "an SQLite database"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(m, _)| head.starts_with(m)) {
        return Some(what);
    }
    head.contains(&0).then_some("binary data")
}

enum Kind {
    Utf8,
    Utf16(Box<encoding_rs::Decoder>),
}

/// A `Read` of UTF-8 text decoded from `inner`.
pub struct Decoder<R> {
    inner: R,
    kind: Kind,
    encoding: Encoding,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    /// Decoded offset of `out[0]`; `prev_out` is the chunk before it (for `newlines_at`).
    out_base: u64,
    prev_out: Vec<u8>,
    inner_done: bool,
    decoded_last: bool,
    finished: bool,
    /// A CR ended the previous chunk: whether a LF follows is known with the next one.
    pending_cr: bool,
    bytes_in: u64,
    bytes_out: u64,
    record_start: u64,
    fallbacks: u64,
    pending_fallbacks: VecDeque<u64>,
    utf16_replaced: bool,
    binary: Option<&'static str>,
}

impl<R: Read> Decoder<R> {
    /// Reads the first chunk, detects the encoding from its BOM and decodes it. Fails on an
    /// unreadable input; the caller checks `head()` for emptiness and binary content.
    pub fn new(mut inner: R) -> io::Result<Decoder<R>> {
        let mut raw = Vec::with_capacity(CHUNK);
        let inner_done = fill_to(&mut inner, &mut raw, CHUNK)?;
        let (kind, encoding, bom) = if raw.starts_with(b"\xEF\xBB\xBF") {
            (Kind::Utf8, Encoding::Utf8Bom, 3)
        } else if raw.starts_with(b"\xFF\xFE") {
            (Kind::Utf16(Box::new(UTF_16LE.new_decoder_without_bom_handling())), Encoding::Utf16Le, 2)
        } else if raw.starts_with(b"\xFE\xFF") {
            (Kind::Utf16(Box::new(UTF_16BE.new_decoder_without_bom_handling())), Encoding::Utf16Be, 2)
        } else {
            (Kind::Utf8, Encoding::Utf8, 0)
        };
        let bytes_in = raw.len() as u64;
        let binary = if matches!(kind, Kind::Utf8) { binary_reason(&raw) } else { None };
        raw.drain(..bom);
        let mut d = Decoder {
            inner,
            kind,
            encoding,
            raw,
            out: Vec::with_capacity(CHUNK * 2),
            out_pos: 0,
            out_base: 0,
            prev_out: Vec::new(),
            inner_done,
            decoded_last: false,
            finished: false,
            pending_cr: false,
            bytes_in,
            bytes_out: 0,
            record_start: 0,
            fallbacks: 0,
            pending_fallbacks: VecDeque::new(),
            utf16_replaced: false,
            binary,
        };
        d.decode_raw();
        if d.binary.is_none() && d.out.contains(&0) {
            d.binary = Some("binary data");
        }
        d.lone_crs_to_lfs();
        Ok(d)
    }

    /// The decoded text of the first chunk (before anything was read from this decoder).
    pub fn head(&self) -> &[u8] {
        &self.out[self.out_pos..]
    }

    /// Why the first chunk is not text, if it is not.
    pub fn binary(&self) -> Option<&'static str> {
        self.binary
    }

    /// The raw bytes of the first chunk were all of the input and decode to nothing but whitespace.
    pub fn is_blank(&self) -> bool {
        self.inner_done && self.raw.is_empty() && self.head().iter().all(|b| b.is_ascii_whitespace())
    }

    /// The encoding as the report names it: Windows-1252 once any byte needed the fallback.
    pub fn encoding(&self) -> Encoding {
        if self.fallbacks > 0 {
            Encoding::Windows1252
        } else {
            self.encoding
        }
    }

    /// Bytes of the file consumed so far (for progress).
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Malformed UTF-16 was replaced by U+FFFD somewhere.
    pub fn utf16_replaced(&self) -> bool {
        self.utf16_replaced
    }

    /// The CSV parser finished a record: the next one starts at decoded byte `at`.
    pub fn set_record_start(&mut self, at: u64) {
        self.record_start = at;
    }

    /// How many Windows-1252 fallbacks happened before decoded byte `end` (and forgets them).
    pub fn take_fallbacks_before(&mut self, end: u64) -> usize {
        let mut n = 0;
        while self.pending_fallbacks.front().is_some_and(|&at| at < end) {
            self.pending_fallbacks.pop_front();
            n += 1;
        }
        n
    }

    /// How many line feeds the run of CR/LF bytes starting at decoded offset `at` holds: the blank
    /// lines the CSV parser skipped before a record, so that its line number can be corrected.
    /// 0 when that part of the text is no longer in memory (only with records over 64 KiB).
    pub fn newlines_at(&self, at: u64) -> u64 {
        let prev_base = self.out_base - self.prev_out.len() as u64;
        if at < prev_base {
            return 0;
        }
        let skip = (at - prev_base) as usize;
        let (first, second): (&[u8], &[u8]) = match skip.checked_sub(self.prev_out.len()) {
            None => (&self.prev_out[skip..], &self.out),
            Some(into_out) => (self.out.get(into_out..).unwrap_or_default(), &[]),
        };
        let mut n = 0;
        for &b in first.iter().chain(second) {
            match b {
                b'\n' => n += 1,
                b'\r' => {}
                _ => break,
            }
        }
        n
    }

    /// Decodes `raw` into `out` as far as it can (keeping an incomplete sequence for later).
    fn decode_raw(&mut self) {
        if self.decoded_last {
            return;
        }
        let last = self.inner_done;
        self.decoded_last = last;
        match &mut self.kind {
            Kind::Utf16(decoder) => {
                let need = decoder.max_utf8_buffer_length(self.raw.len()).unwrap_or(self.raw.len() * 3 + 16);
                let start = self.out.len();
                self.out.resize(start + need, 0);
                let (_, read, written, replaced) = decoder.decode_to_utf8(&self.raw, &mut self.out[start..], last);
                self.out.truncate(start + written);
                self.raw.drain(..read);
                self.utf16_replaced |= replaced;
            }
            Kind::Utf8 => {
                let base = self.bytes_out + (self.out.len() - self.out_pos) as u64;
                let origin = self.out.len();
                let read = decode_utf8_lenient(&self.raw, last, &mut self.out, &mut |at| {
                    self.fallbacks += 1;
                    if self.pending_fallbacks.len() < MAX_PENDING_FALLBACKS {
                        self.pending_fallbacks.push_back(base + (at - origin) as u64);
                    }
                });
                self.raw.drain(..read);
            }
        }
    }

    /// Turns each CR not followed by LF into LF (CRLF stays). The csv parser ends a record at a
    /// lone CR but counts lines by LF only; this makes both agree. A CR at the very end of the
    /// chunk waits for the next one.
    fn lone_crs_to_lfs(&mut self) {
        let last_chunk = self.inner_done && self.raw.is_empty();
        if !last_chunk && self.out.last() == Some(&b'\r') {
            self.out.pop();
            self.pending_cr = true;
        }
        let n = self.out.len();
        for i in 0..n {
            if self.out[i] == b'\r' && (i + 1 == n || self.out[i + 1] != b'\n') {
                self.out[i] = b'\n';
            }
        }
    }

    /// Reads the next raw chunk and decodes it into an empty `out`.
    fn refill(&mut self) -> io::Result<()> {
        self.out_base += self.out.len() as u64;
        std::mem::swap(&mut self.out, &mut self.prev_out);
        self.out.clear();
        self.out_pos = 0;
        if std::mem::take(&mut self.pending_cr) {
            self.out.push(b'\r');
        }
        let before = self.raw.len();
        if !self.inner_done {
            self.inner_done = fill_to(&mut self.inner, &mut self.raw, before + CHUNK)?;
            self.bytes_in += (self.raw.len() - before) as u64;
        }
        self.decode_raw();
        self.lone_crs_to_lfs();
        if self.inner_done && self.raw.is_empty() {
            self.finished = self.out.is_empty();
        }
        Ok(())
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_pos < self.out.len() {
                if self.bytes_out.saturating_sub(self.record_start) > MAX_RECORD_BYTES {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, RecordTooLarge));
                }
                let n = buf.len().min(self.out.len() - self.out_pos);
                buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
                self.out_pos += n;
                self.bytes_out += n as u64;
                return Ok(n);
            }
            if self.finished {
                return Ok(0);
            }
            self.refill()?;
        }
    }
}

/// The io error payload that marks a record over `MAX_RECORD_BYTES`.
#[derive(Debug)]
pub struct RecordTooLarge;

impl std::fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a record is longer than {MAX_RECORD_BYTES} bytes")
    }
}

impl std::error::Error for RecordTooLarge {}

/// Reads from `inner` until `buf` holds `target` bytes or the input ends (then returns true).
fn fill_to(inner: &mut impl Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    while buf.len() < target {
        let want = (target - buf.len()).min(chunk.len());
        match inner.read(&mut chunk[..want]) {
            Ok(0) => return Ok(true),
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Appends `input` to `out` as UTF-8, decoding each invalid sequence as Windows-1252 and calling
/// `fallback(position in out)` for it. Keeps an incomplete trailing sequence unless `last`.
/// Returns how many input bytes were consumed.
pub fn decode_utf8_lenient(input: &[u8], last: bool, out: &mut Vec<u8>, fallback: &mut impl FnMut(usize)) -> usize {
    let mut i = 0;
    loop {
        match std::str::from_utf8(&input[i..]) {
            Ok(s) => {
                out.extend_from_slice(s.as_bytes());
                return input.len();
            }
            Err(e) => {
                let valid = e.valid_up_to();
                out.extend_from_slice(&input[i..i + valid]);
                i += valid;
                let bad = match e.error_len() {
                    Some(n) => n,
                    None if last => input.len() - i,
                    None => return i,
                };
                fallback(out.len());
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(&input[i..i + bad]);
                out.extend_from_slice(text.as_bytes());
                i += bad;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, Encoding) {
        let mut d = Decoder::new(bytes).unwrap();
        let mut s = String::new();
        d.read_to_string(&mut s).unwrap();
        (s, d.encoding())
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_all("a,é\n".as_bytes()), ("a,é\n".into(), Encoding::Utf8));
        assert_eq!(decode_all(b"\xEF\xBB\xBFa,\xC3\xA9\n"), ("a,é\n".into(), Encoding::Utf8Bom));
    }

    #[test]
    fn utf16_both_byte_orders() {
        let text = "email,name\r\nzoë@x.io,Zoë\r\n";
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(|u| u.to_be_bytes())).collect();
        assert_eq!(decode_all(&le), (text.into(), Encoding::Utf16Le));
        assert_eq!(decode_all(&be), (text.into(), Encoding::Utf16Be));
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        assert_eq!(decode_all(b"Jos\xE9,caf\xE9 \x80\n"), ("José,café €\n".into(), Encoding::Windows1252));
    }

    #[test]
    fn a_sequence_split_across_chunks_stays_utf8() {
        let mut text = "x".repeat(CHUNK - 1);
        text.push('é');
        text.push('\n');
        assert_eq!(decode_all(text.as_bytes()), (text.clone(), Encoding::Utf8));
    }

    #[test]
    fn lone_crs_become_lf() {
        assert_eq!(decode_all(b"a,b\r1,2\r").0, "a,b\n1,2\n");
        assert_eq!(decode_all(b"a,b\r\n1,2\r\n").0, "a,b\r\n1,2\r\n", "CRLF is left alone");
        assert_eq!(decode_all(b"a\r\nb\rc\r\r\n").0, "a\r\nb\nc\n\r\n", "mixed line ends");
        let mut text = "x".repeat(CHUNK - 1).into_bytes();
        text.extend(b"\r\ny\r");
        let expected = format!("{}\r\ny\n", "x".repeat(CHUNK - 1));
        assert_eq!(decode_all(&text).0, expected, "a CRLF split across two chunks stays CRLF");
    }

    #[test]
    fn binary_content_is_recognised() {
        assert!(binary_reason(b"PK\x03\x04rest").unwrap().contains("xlsx"));
        assert_eq!(binary_reason(b"abc\0def"), Some("binary data"));
        assert_eq!(binary_reason(b"email\nx@y.z\n"), None);
    }
}
