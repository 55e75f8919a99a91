//! Files that cannot be imported get a clear error, and nothing is written.

mod common;

use std::io::Write;
use std::sync::atomic::AtomicBool;

use common::*;
use fanbase_import::{Error, Options};

async fn import_err(e: &Env, name: &str, bytes: &[u8]) -> Error {
    let path = e.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let err = fanbase_import::run(&e.db, "s1", &path, &Options::default(), |_| {}, &AtomicBool::new(false), NOW)
        .await
        .expect_err(name);
    assert_eq!(count(&e.db).await, 0, "{name}: nothing is written");
    assert!(fanbase_import::reports(&e.db, "s1").await.unwrap().is_empty(), "{name}: no report");
    err
}

#[tokio::test]
async fn binary_files_are_not_csv() {
    let e = env().await;
    let err = import_err(&e, "book.csv", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00").await;
    assert_eq!(err.code(), "NOT_CSV");
    assert!(err.to_string().contains("xlsx"), "{err}");
    let err = import_err(&e, "img.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR").await;
    assert_eq!(err.code(), "NOT_CSV");
}

#[tokio::test]
async fn empty_files() {
    let e = env().await;
    assert_eq!(import_err(&e, "empty.csv", b"").await.code(), "EMPTY_FILE");
    assert_eq!(import_err(&e, "blank.csv", b"\xEF\xBB\xBF\r\n\n  \n").await.code(), "EMPTY_FILE");
}

#[tokio::test]
async fn a_header_without_an_email_column() {
    let e = env().await;
    let err = import_err(&e, "names.csv", b"First Name,Last Name\nAna,Silva\n").await;
    assert_eq!(err.code(), "NO_EMAIL_COLUMN");
    assert!(err.to_string().contains("--map 'Header=email'"), "the message says what to do: {err}");
}

#[tokio::test]
async fn the_headers_of_a_file_without_an_email_column_let_the_user_pick_it() {
    let e = env().await;
    let path = e.dir.path().join("correo.csv");
    std::fs::write(&path, "Nombre ; Correo\nAna;ana@example.com\n").unwrap();
    let headers = fanbase_import::headers(&path).unwrap();
    assert_eq!(headers, ["Nombre", "Correo"], "the header row as the file has it, trimmed");
    let map = [fanbase_import::MapOverride { header: "Correo".into(), target: fanbase_import::Target::Email }];
    let preview = fanbase_import::inspect(&path, &map).unwrap();
    assert_eq!(preview.sample_rows.len(), 1);
    assert_eq!(preview.sample_rows[0].rejected, None, "with the picked column the row imports");
}

#[tokio::test]
async fn a_50_mb_single_field() {
    let e = env().await;
    let path = e.dir.path().join("huge.csv");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(b"email,note\na@example.com,ok\nb@example.com,\"").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..50 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\"\n").unwrap();
    drop(f);
    let err = fanbase_import::run(&e.db, "s1", &path, &Options::default(), |_| {}, &AtomicBool::new(false), NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RecordTooLarge { line: 3, .. }), "{err:?}");
    assert!(err.to_string().contains("line 3"), "{err}");
    assert_eq!(count(&e.db).await, 0, "the rows before it are not imported either: the import is atomic");
}

#[tokio::test]
async fn a_missing_file_and_an_unknown_store() {
    let e = env().await;
    let missing = e.dir.path().join("nope.csv");
    let err = fanbase_import::run(&e.db, "s1", &missing, &Options::default(), |_| {}, &AtomicBool::new(false), NOW)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "FILE_READ");
    assert!(err.to_string().contains("nope.csv"), "{err}");
    let err = fanbase_import::run(
        &e.db,
        "zz",
        &fixture("kit.csv"),
        &Options::default(),
        |_| {},
        &AtomicBool::new(false),
        NOW,
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "STORE_NOT_FOUND");
}
