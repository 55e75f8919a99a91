//! `fanbase engagement import FILE`: a CSV of events, parsed whole (an error names the line and
//! column, and nothing is imported), then stored and applied in one transaction.
//! Columns: `email`, `kind`, `at` (ms since 1970, `YYYY-MM-DD` or RFC 3339) required; `amount`
//! (currency units), `url`, `campaign_id`, `id` optional. Re-importing a file adds nothing twice.

use std::io::Read;
use std::path::Path;

use fanbase_core::text::normalize_email;
use fanbase_core::{stores, Db};
use serde::Serialize;

use super::{apply_pending_raw, store_raw, Applied, EventKind, NewEvent, Origin, KINDS};
use crate::parse::parse_date;
use crate::{Error, Result};

const COLUMNS: &[&str] = &["email", "kind", "at", "amount", "url", "campaign_id", "id"];

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// Data lines read.
    pub rows: u64,
    /// Events stored now.
    pub new: u64,
    /// Events already stored before (same `id`, or same email, kind, time, amount, campaign and url).
    pub duplicates: u64,
    pub applied: Applied,
}

/// Parses an engagement CSV into events. `file` only labels errors.
pub fn parse_csv<R: Read>(reader: R, file: &str) -> Result<Vec<NewEvent>> {
    let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let fail = |line: u64, column: &str, message: String| Error::Csv {
        file: file.to_string(),
        line,
        column: column.to_string(),
        message,
    };
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| fail(1, "", format!("cannot read the header line: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
        .collect();
    if let Some(unknown) = headers.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        return Err(fail(1, unknown, format!("unknown column: the columns are {}", COLUMNS.join(", "))));
    }
    for required in ["email", "kind", "at"] {
        if !headers.iter().any(|h| h == required) {
            return Err(fail(1, required, "missing column: email, kind and at are required".into()));
        }
    }
    let col = |name: &str| headers.iter().position(|h| h == name);
    let mut events = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            fail(line, "", format!("not a valid CSV line: {e}"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let get = |name: &str| col(name).and_then(|i| record.get(i)).unwrap_or("").trim();
        let email = get("email");
        if email.is_empty() {
            return Err(fail(line, "email", "empty: every event needs the contact's email".into()));
        }
        let kind = EventKind::parse(&get("kind").to_lowercase()).ok_or_else(|| {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name()).collect();
            fail(line, "kind", format!("unknown event kind {:?}: one of {}", get("kind"), names.join(", ")))
        })?;
        let at_text = get("at");
        let at = at_text.parse::<i64>().ok().or_else(|| parse_date(at_text)).ok_or_else(|| {
            fail(line, "at", format!("{at_text:?} is not a time: use ms since 1970, YYYY-MM-DD or RFC 3339"))
        })?;
        let amount_cents = cents(get("amount"))
            .ok_or_else(|| fail(line, "amount", format!("{:?} is not an amount like 49 or 49.99", get("amount"))))?;
        let (url, campaign_id, id) = (get("url").to_string(), get("campaign_id").to_string(), get("id"));
        let key = if id.is_empty() {
            format!("row:{}|{}|{at}|{amount_cents}|{campaign_id}|{url}", normalize_email(email), kind.name())
        } else {
            format!("id:{id}")
        };
        events.push(NewEvent { key, email: email.to_string(), kind, at, amount_cents, url, campaign_id });
    }
    Ok(events)
}

/// An amount in currency units (`49`, `49.9`, `49.99`, empty = 0) as cents; `None` if malformed or negative.
fn cents(text: &str) -> Option<i64> {
    if text.is_empty() {
        return Some(0);
    }
    let (units, fraction) = text.split_once('.').unwrap_or((text, ""));
    if units.is_empty() || !units.bytes().all(|b| b.is_ascii_digit()) || fraction.len() > 2 {
        return None;
    }
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let units: i64 = units.parse().ok()?;
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    units.checked_mul(100)?.checked_add(fraction)
}

/// Imports an engagement CSV into the store: stores the new events, applies them to their
/// contacts and re-scores those contacts, all in one transaction.
pub async fn import_csv(db: &Db, store_id: &str, path: &Path, now: i64) -> Result<Imported> {
    let file = path.display().to_string();
    let reader = std::fs::File::open(path).map_err(|e| Error::Csv {
        file: file.clone(),
        line: 0,
        column: String::new(),
        message: format!("cannot open the file: {e}"),
    })?;
    let mut events = parse_csv(reader, &file)?;
    let store_pk = stores::pk(db, store_id).await?;
    for e in &mut events {
        e.key = format!("csv:{store_pk}:{}", e.key);
    }
    let mut tx = db.pool().begin().await?;
    let new = store_raw(&mut tx, store_pk, &events, Origin::Import).await?;
    let applied = apply_pending_raw(&mut tx, store_pk, now).await?;
    tx.commit().await?;
    let rows = events.len() as u64;
    Ok(Imported { rows, new, duplicates: rows - new, applied })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_cents() {
        assert_eq!(cents("49"), Some(4900));
        assert_eq!(cents("49.9"), Some(4990));
        assert_eq!(cents("19.99"), Some(1999));
        assert_eq!(cents(""), Some(0));
        for bad in ["-1", "1.999", "abc", ".5", "1.x", "1e3"] {
            assert_eq!(cents(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn a_file_parses_into_events_with_stable_keys() {
        let text = "Email,kind,at,amount,id\nAna@X.com,open,1000,,\nbo@x.com,purchase,2025-01-02,49.99,ord-7\n";
        let events = parse_csv(text.as_bytes(), "f.csv").unwrap();
        assert_eq!(events.len(), 2, "one event per data line");
        assert_eq!(events[0].kind, EventKind::Open);
        assert_eq!(events[0].key, "row:ana@x.com|open|1000|0||", "without an id the key is the event's content");
        assert_eq!((events[1].amount_cents, events[1].at), (4999, 1_735_776_000_000));
        assert_eq!(events[1].key, "id:ord-7", "with an id the key is the id");
    }

    #[test]
    fn errors_name_the_line_and_the_column() {
        let cases = [
            ("email,kind\nx@y.z,open\n", "line 1, column \"at\": missing column"),
            ("email,kind,at,amout\n", "line 1, column \"amout\": unknown column"),
            ("email,kind,at\nx@y.z,open,1\nx@y.z,opne,2\n", "line 3, column \"kind\": unknown event kind \"opne\""),
            ("email,kind,at\nx@y.z,open,yesterday\n", "line 2, column \"at\": \"yesterday\" is not a time"),
            ("email,kind,at,amount\nx@y.z,purchase,1,4.999\n", "line 2, column \"amount\""),
            ("email,kind,at\n,open,1\n", "line 2, column \"email\": empty"),
        ];
        for (text, want) in cases {
            let err = parse_csv(text.as_bytes(), "f.csv").unwrap_err().to_string();
            assert!(err.starts_with(&format!("f.csv: {want}")), "for {text:?} expected {want:?}, got {err:?}");
        }
    }
}
