//! Encodings, delimiters, line endings, quoting, blank lines and ragged rows.

mod common;

use common::*;

#[tokio::test]
async fn windows_1252_is_decoded_and_reported() {
    let e = env().await;
    let r = import_fixture(&e.db, "sheet_windows1252_semicolon.csv").await;
    assert_eq!(r.encoding, "windows-1252", "text that is not UTF-8 is read as Windows-1252");
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("line 2, 3"), "the report says which lines: {:?}", r.warnings);
    let zoe = show(&e.db, "zoe.muller@example.com").await;
    assert_eq!(zoe.name, "Zoë Müller");
    assert_eq!(zoe.custom["Notes"], "café €");
    assert_eq!(show(&e.db, "jose@example.com").await.name, "José");
}

#[tokio::test]
async fn utf16_little_endian_with_tabs() {
    let e = env().await;
    let r = import_fixture(&e.db, "utf16le_tab.csv").await;
    assert_eq!((r.encoding.as_str(), r.delimiter.as_str(), r.counts.inserted), ("utf-16le", "\t", 2));
    let soren = show(&e.db, "soren@example.com").await;
    assert_eq!((soren.name.as_str(), soren.tags.clone()), ("Søren", vec!["a".to_string(), "b".to_string()]));
    assert_eq!(show(&e.db, "bjork@example.com").await.tags, ["日本"]);
}

#[tokio::test]
async fn utf16_big_endian() {
    let e = env().await;
    let r = import_fixture(&e.db, "utf16be.csv").await;
    assert_eq!((r.encoding.as_str(), r.counts.inserted), ("utf-16be", 1));
    assert_eq!(show(&e.db, "soren@example.com").await.name, "Søren");
}

#[tokio::test]
async fn utf8_bom_and_cr_only_line_ends() {
    let e = env().await;
    let r = import_fixture(&e.db, "utf8_bom_cr.csv").await;
    assert_eq!((r.encoding.as_str(), r.counts.inserted, r.counts.rejected), ("utf-8-bom", 2, 1));
    assert_eq!(errors(&r)[0].0, 5, "the note of line 2 spans lines 2-3, so the bad row is line 5");
    let anais = show(&e.db, "anais@example.com").await;
    assert_eq!(anais.name, "Anaïs", "the BOM is not part of the first header");
    assert_eq!(anais.custom["Note"], "line one\nline two");
}

#[tokio::test]
async fn quotes_blank_lines_and_ragged_rows() {
    let e = env().await;
    let r = import_fixture(&e.db, "messy.csv").await;
    let c = r.counts;
    assert_eq!((c.rows_read, c.inserted, c.rejected), (7, 4, 3), "blank lines are not rows: {c:?}");
    let errs = errors(&r);
    assert_eq!((errs[0].0, errs[0].1.clone()), (8, None), "too many cells: the row is at fault");
    assert!(errs[0].2.contains("5 cells but the header has 4"), "{}", errs[0].2);
    assert_eq!((errs[1].0, errs[1].1.as_deref(), errs[1].2.as_str()), (9, Some("email"), "no email"));
    assert_eq!((errs[2].0, errs[2].1.as_deref()), (11, Some("score")));
    let a = show(&e.db, "a@example.com").await;
    assert_eq!((a.name.as_str(), a.custom["note"].as_str()), ("Smith, Anna", Some("she said \"hi\"")));
    assert_eq!(show(&e.db, "b@example.com").await.custom["note"], "two\nlines");
    let cy = show(&e.db, "c@example.com").await;
    assert_eq!((cy.name.as_str(), cy.score), ("Cy", 0), "missing trailing cells are blank");
    assert_eq!(show(&e.db, "d@example.com").await.score, 4, "trailing empty cells are harmless");
}

#[tokio::test]
async fn crlf_lf_and_comma_semicolon_tab_give_the_same_contacts() {
    let e = env().await;
    let rows = [["email", "name", "tags"], ["x@example.com", "X \"the\" one", "a, b"], ["y@example.com", "Y", ""]];
    for (i, (delim, eol)) in [(",", "\n"), (";", "\r\n"), ("\t", "\r"), (",", "\r\n")].into_iter().enumerate() {
        let store = format!("t{i}");
        fanbase_core::stores::add(&e.db, &store, "T", 1).await.unwrap();
        let text: String = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| {
                        if c.contains([',', ';', '"']) {
                            format!("\"{}\"", c.replace('"', "\"\""))
                        } else {
                            c.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(delim)
                    + eol
            })
            .collect();
        let path = e.dir.path().join(format!("f{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let r = import_to(&e.db, &store, &path, &Default::default()).await;
        assert_eq!((r.delimiter.as_str(), r.counts.inserted), (delim, 2), "{delim:?} {eol:?}");
        let x = show_in(&e.db, &store, "x@example.com").await;
        assert_eq!((x.name.as_str(), x.tags.len()), ("X \"the\" one", 2), "{delim:?} {eol:?}");
    }
}
