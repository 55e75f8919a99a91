//! Fuzzes the CSV parser (decoding, delimiter sniffing, header mapping, every cell parser) on
//! arbitrary bytes: it must never panic, and every row it returns must start on a later line.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((preamble, items)) = fanbase_import::parse_all(data, &[]) else { return };
    assert_eq!(preamble.mapping.len(), preamble.headers.len(), "every column is mapped");
    let mut last = 1;
    for item in &items {
        let line = match item {
            fanbase_import::Item::Row(c) => {
                assert!(!c.email_norm.is_empty() && c.email_norm == c.email_norm.trim().to_lowercase());
                c.line
            }
            fanbase_import::Item::Rejected(r) => r.line,
        };
        assert!(line > last, "records start on increasing lines: {line} after {last}");
        last = line;
    }
});
