//! The parser: any byte stream to a header, a mapping and a sequence of candidates and rejected
//! rows, one record at a time. No database here: tests and the fuzzer collect it into a `Vec`.

use std::io::Read;

use csv::{ReaderBuilder, StringRecord};
use serde::Serialize;

use crate::decode::{Decoder, RecordTooLarge, MAX_RECORD_BYTES};
use crate::mapping::{self, Column, Format, MapOverride};
use crate::record::{Candidate, Rejection, Schema};
use crate::{sniff, Error, Result};

/// What one record of the file became.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Boxed: a candidate is several hundred bytes and moves through a channel and a batch.
    Row(Box<Candidate>),
    Rejected(Rejection),
}

/// What the parser learned from the first bytes and the header row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Preamble {
    pub format: Format,
    pub encoding: &'static str,
    /// `","`, `";"` or `"\t"`.
    pub delimiter: String,
    pub headers: Vec<String>,
    pub mapping: Vec<Column>,
}

/// Reads records one at a time from a decoded CSV stream.
pub struct Parser<R: Read> {
    csv: csv::Reader<Decoder<R>>,
    schema: Schema,
    preamble: Preamble,
    record: StringRecord,
    prev_line: u64,
    rows_read: u64,
    fallback_lines: Vec<u64>,
    fallback_line_count: u64,
}

/// How many lines decoded as Windows-1252 the warning lists.
const LISTED_FALLBACK_LINES: usize = 20;

impl<R: Read> Parser<R> {
    /// Detects the encoding and the delimiter, reads the header and maps it. Fails on an empty
    /// or binary input, and on a header with no email column.
    pub fn new(input: R, overrides: &[MapOverride]) -> Result<Parser<R>> {
        let decoder = Decoder::new(input).map_err(|source| Error::Read { path: "the file".into(), source })?;
        if let Some(what) = decoder.binary() {
            return Err(Error::NotCsv(what.into()));
        }
        if decoder.is_blank() {
            return Err(Error::EmptyFile);
        }
        let delimiter = sniff::delimiter(decoder.head());
        let encoding = decoder.encoding();
        let mut csv = ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(decoder);
        let mut record = StringRecord::new();
        if !csv.read_record(&mut record).map_err(|e| csv_error(e, 1))? {
            return Err(Error::EmptyFile);
        }
        let next = csv.position().byte();
        csv.get_mut().set_record_start(next);
        let headers: Vec<String> = record.iter().map(|h| h.trim().to_string()).collect();
        let format = Format::detect(&headers);
        let columns = mapping::build(&headers, format, overrides)?;
        let preamble = Preamble {
            format,
            encoding: encoding.label(),
            delimiter: (delimiter as char).to_string(),
            headers,
            mapping: columns.clone(),
        };
        let line = record.position().map_or(1, |p| p.line() + csv.get_ref().newlines_at(p.byte()));
        Ok(Parser {
            csv,
            schema: Schema { format, columns },
            preamble,
            record,
            prev_line: line,
            rows_read: 0,
            fallback_lines: Vec::new(),
            fallback_line_count: 0,
        })
    }

    pub fn preamble(&self) -> &Preamble {
        &self.preamble
    }

    /// Bytes of the file read so far.
    pub fn bytes_read(&self) -> u64 {
        self.csv.get_ref().bytes_in()
    }

    /// Data rows read so far (blank lines are not rows).
    pub fn rows_read(&self) -> u64 {
        self.rows_read
    }

    /// The next record's line and cells, as they are in the file; `None` at the end.
    pub fn next_raw(&mut self) -> Result<Option<(u64, &StringRecord)>> {
        let more = self.csv.read_record(&mut self.record).map_err(|e| csv_error(e, self.csv.position().line()))?;
        if !more {
            self.note_fallbacks(u64::MAX);
            return Ok(None);
        }
        // csv gives the position where it started reading, before the blank lines it skipped.
        let (line, start) = self
            .record
            .position()
            .map_or((self.prev_line + 1, 0), |p| (p.line() + self.csv.get_ref().newlines_at(p.byte()), p.byte()));
        // A record starts at least one line after the previous one (this only matters when the
        // skipped blank lines are out of the decoder's window, after a record over 64 KiB).
        let line = line.max(self.prev_line + 1);
        self.note_fallbacks(start);
        let next = self.csv.position().byte();
        self.csv.get_mut().set_record_start(next);
        self.prev_line = line;
        Ok(Some((line, &self.record)))
    }

    /// The next data row, parsed; `None` at the end of the file.
    pub fn next_item(&mut self) -> Result<Option<Item>> {
        loop {
            let Some((line, _)) = self.next_raw()? else { return Ok(None) };
            match self.schema.parse(&self.record, line) {
                Ok(None) => continue,
                Ok(Some(c)) => {
                    self.rows_read += 1;
                    return Ok(Some(Item::Row(Box::new(c))));
                }
                Err(r) => {
                    self.rows_read += 1;
                    return Ok(Some(Item::Rejected(r)));
                }
            }
        }
    }

    /// Parses one record against this file's mapping (for previews).
    pub fn parse_record(&self, record: &StringRecord, line: u64) -> std::result::Result<Option<Candidate>, Rejection> {
        self.schema.parse(record, line)
    }

    /// The encoding as finally known, and warnings about the decoding, once the file is read.
    pub fn finish(&self) -> (&'static str, Vec<String>) {
        let decoder = self.csv.get_ref();
        let mut warnings = Vec::new();
        if self.fallback_line_count > 0 {
            let listed: Vec<String> = self.fallback_lines.iter().map(u64::to_string).collect();
            let more = if self.fallback_line_count > listed.len() as u64 { ", …" } else { "" };
            warnings.push(format!(
                "{} line(s) were not valid UTF-8 and were read as Windows-1252: line {}{more}",
                self.fallback_line_count,
                listed.join(", ")
            ));
        }
        if decoder.utf16_replaced() {
            warnings.push("the file has malformed UTF-16; those characters were replaced by \u{FFFD}".into());
        }
        (decoder.encoding().label(), warnings)
    }

    /// Windows-1252 fallbacks before decoded byte `end` happened in the previous record.
    fn note_fallbacks(&mut self, end: u64) {
        if self.csv.get_mut().take_fallbacks_before(end) > 0 && self.fallback_lines.last() != Some(&self.prev_line) {
            self.fallback_line_count += 1;
            if self.fallback_lines.len() < LISTED_FALLBACK_LINES {
                self.fallback_lines.push(self.prev_line);
            }
        }
    }
}

fn csv_error(e: csv::Error, line: u64) -> Error {
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(io) if io.get_ref().is_some_and(|inner| inner.is::<RecordTooLarge>()) => {
            Error::RecordTooLarge { line, limit: MAX_RECORD_BYTES / (1024 * 1024) }
        }
        csv::ErrorKind::Io(source) => Error::Read { path: "the file".into(), source },
        _ => Error::Parse { line, message },
    }
}

/// Parses a whole input into items (for tests and the fuzzer). Stops at the first fatal error.
pub fn parse_all(input: impl Read, overrides: &[MapOverride]) -> Result<(Preamble, Vec<Item>)> {
    let mut parser = Parser::new(input, overrides)?;
    let mut items = Vec::new();
    while let Some(item) = parser.next_item()? {
        items.push(item);
    }
    let (encoding, _) = parser.finish();
    let mut preamble = parser.preamble().clone();
    preamble.encoding = encoding;
    Ok((preamble, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(items: &[Item]) -> Vec<u64> {
        items
            .iter()
            .map(|i| match i {
                Item::Row(c) => c.line,
                Item::Rejected(r) => r.line,
            })
            .collect()
    }

    #[test]
    fn line_numbers_are_where_records_start() {
        let text = "email,note\na@b.co,\"two\nlines\"\n\nc@d.co,x\nbad,y\n";
        let (_, items) = parse_all(text.as_bytes(), &[]).unwrap();
        assert_eq!(lines_of(&items), [2, 5, 6], "a record spanning lines 2-3 and a blank line 4");
    }

    #[test]
    fn cr_only_and_mixed_line_ends_count_lines() {
        let (_, items) = parse_all(&b"email,note\ra@b.co,x\rc@d.co,y\r"[..], &[]).unwrap();
        assert_eq!(lines_of(&items), [2, 3]);
        let (_, items) = parse_all(&b"email,note\r\na@b.co,x\rc@d.co,y\r\n\r\nd@e.co,z"[..], &[]).unwrap();
        assert_eq!(lines_of(&items), [2, 3, 5]);
    }

    #[test]
    fn a_fuzzer_find_with_lone_crs_in_a_crlf_file_keeps_lines_increasing() {
        let (_, items) = parse_all(&include_bytes!("../tests/fixtures/fuzz_mixed_line_ends.csv")[..], &[]).unwrap();
        let lines = lines_of(&items);
        assert!(lines.windows(2).all(|w| w[0] < w[1]) && lines[0] > 1, "{lines:?}");
    }

    #[test]
    fn windows_1252_lines_are_reported() {
        let mut p = Parser::new(&b"email,name\na@b.co,Ana\nb@b.co,Jos\xE9\nc@b.co,Zo\xEB\n"[..], &[]).unwrap();
        while p.next_item().unwrap().is_some() {}
        let (encoding, warnings) = p.finish();
        assert_eq!(encoding, "windows-1252");
        assert!(warnings[0].contains("line 3, 4"), "{warnings:?}");
    }

    #[test]
    fn an_oversized_record_is_an_error_with_its_line() {
        let mut text = b"email,note\na@b.co,x\nb@b.co,\"".to_vec();
        text.extend(std::iter::repeat_n(b'x', 3 * 1024 * 1024));
        let err = parse_all(&text[..], &[]).unwrap_err();
        assert!(matches!(err, Error::RecordTooLarge { line: 3, .. }), "{err:?}");
    }
}
