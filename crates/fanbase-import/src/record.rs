//! One CSV record to one candidate contact (or a rejection with line, column and reason), and the
//! rule that folds a repeated email into the first: first non-empty value wins, tags are unioned,
//! a suppression (unsubscribed, bounced, complained) beats "active".

use csv::StringRecord;
use serde_json::{Map, Value};

use crate::field::{Field, Kind, Val, N_FIELDS};
use crate::mapping::{Column, Format, Target};
use crate::value;

/// A contact as one or more rows of the file describe it. `None` = the file left it blank.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The line where its first record starts (the header is line 1).
    pub line: u64,
    /// Trimmed, as written in the file.
    pub email: String,
    pub email_norm: String,
    pub values: [Option<Val>; N_FIELDS],
    pub custom: Map<String, Value>,
    /// De-duplicated case-insensitively, first spelling kept.
    pub tags: Vec<String>,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    pub line: u64,
    /// The header of the offending column; `None` when the row as a whole is at fault.
    pub column: Option<String>,
    pub reason: String,
    #[serde(skip)]
    pub cells: Vec<String>,
}

/// What a mapped header row makes of each record.
#[derive(Debug, Clone)]
pub struct Schema {
    pub format: Format,
    pub columns: Vec<Column>,
}

impl Candidate {
    pub fn get(&self, f: Field) -> Option<&Val> {
        self.values[f.index()].as_ref()
    }

    /// A status other than active: a suppression that an import never undoes.
    pub fn suppression(&self) -> Option<&str> {
        self.get(Field::Status).map(Val::as_str).filter(|s| *s != "active")
    }

    /// Folds a later row with the same email into this one.
    pub fn absorb(&mut self, later: Candidate) {
        for (i, v) in later.values.into_iter().enumerate() {
            let Some(v) = v else { continue };
            let slot = &mut self.values[i];
            let replace = match slot {
                None => true,
                Some(old) if i == Field::Status.index() => old.as_str() == "active" && v.as_str() != "active",
                Some(_) => false,
            };
            if replace {
                *slot = Some(v);
            }
        }
        for (k, v) in later.custom {
            self.custom.entry(k).or_insert(v);
        }
        for t in &later.tags {
            value::add_tag(&mut self.tags, t);
        }
    }
}

impl Schema {
    /// Parses one record. `Ok(None)` for a blank line (every cell empty): it is not a row.
    pub fn parse(&self, rec: &StringRecord, line: u64) -> Result<Option<Candidate>, Rejection> {
        if rec.iter().all(|c| c.trim().is_empty()) {
            return Ok(None);
        }
        let reject = |column: Option<&Column>, reason: String| Rejection {
            line,
            column: column.map(|c| c.header.trim().to_string()),
            reason,
            cells: rec.iter().map(String::from).collect(),
        };
        if rec.iter().any(|c| c.contains('\0')) {
            return Err(reject(None, "the row contains a NUL character (binary data)".into()));
        }
        if rec.iter().skip(self.columns.len()).any(|c| !c.trim().is_empty()) {
            return Err(reject(
                None,
                format!(
                    "the row has {} cells but the header has {}: check the quotes on this line",
                    rec.len(),
                    self.columns.len()
                ),
            ));
        }
        let mut c = Candidate {
            line,
            email: String::new(),
            email_norm: String::new(),
            values: Default::default(),
            custom: Map::new(),
            tags: Vec::new(),
        };
        for (col, cell) in self.columns.iter().zip(rec.iter()) {
            let cell = value::unescape_formula(cell.trim()).trim();
            if cell.is_empty() {
                continue;
            }
            self.apply_cell(&mut c, col, cell).map_err(|reason| reject(Some(col), reason))?;
        }
        let email_col = self.columns.iter().find(|c| c.target == Target::Email);
        if c.email.is_empty() {
            return Err(reject(email_col, "no email".into()));
        }
        value::check_email(&c.email).map_err(|reason| reject(email_col, reason))?;
        c.email_norm = fanbase_core::text::normalize_email(&c.email);
        Ok(Some(c))
    }

    fn apply_cell(&self, c: &mut Candidate, col: &Column, cell: &str) -> Result<(), String> {
        match col.target {
            Target::Email => c.email = cell.to_string(),
            Target::Field(f) => {
                let v = parse_field(f, cell, self.format)?;
                set_status_aware(c, f, v);
            }
            Target::Tags => value::split_tags(cell, self.format.tag_separators(), &mut c.tags)?,
            Target::Custom => {
                c.custom.entry(col.key.clone()).or_insert_with(|| custom_value(cell, self.format));
            }
            Target::Attributes => {
                let parsed: Value = serde_json::from_str(cell).map_err(|e| format!("not valid JSON: {e}"))?;
                let Value::Object(map) = parsed else {
                    return Err("must be a JSON object, like {\"city\": \"Lyon\"}".into());
                };
                for (k, v) in map {
                    c.custom.entry(k).or_insert(v);
                }
            }
            Target::UnsubscribedAt | Target::CleanedAt => {
                let status = if col.target == Target::UnsubscribedAt { "unsubscribed" } else { "bounced" };
                set_status_aware(c, Field::Status, Val::Text(status.into()));
                c.custom.entry(col.key.clone()).or_insert_with(|| Value::String(cell.to_string()));
            }
            Target::Ignore => {}
        }
        Ok(())
    }
}

/// Sets a field; for the status, a suppression already read from another column is kept.
fn set_status_aware(c: &mut Candidate, f: Field, v: Val) {
    let slot = &mut c.values[f.index()];
    if f == Field::Status && slot.as_ref().is_some_and(|old| old.as_str() != "active") {
        return;
    }
    *slot = Some(v);
}

fn parse_field(f: Field, cell: &str, format: Format) -> Result<Val, String> {
    Ok(match f.kind() {
        Kind::Text => match format.multi_value_separator() {
            Some(sep) if cell.contains(sep) => {
                Val::Text(cell.split(sep).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", "))
            }
            _ => Val::Text(cell.to_string()),
        },
        Kind::Type => Val::Text(value::parse_type(cell)?.into()),
        Kind::Status => Val::Text(value::parse_status(cell)?.into()),
        Kind::Int => Val::Int(value::parse_int(cell)?),
        Kind::Bool => Val::Int(value::parse_bool(cell)? as i64),
        Kind::Date => Val::Int(value::parse_date(cell)?),
        Kind::Money => Val::Int(value::parse_money(cell)?),
    })
}

/// A custom cell as stored: text, or for ActiveCampaign's `a||b` multi-values a JSON array.
fn custom_value(cell: &str, format: Format) -> Value {
    match format.multi_value_separator() {
        Some(sep) if cell.contains(sep) => Value::Array(
            cell.split(sep).map(str::trim).filter(|s| !s.is_empty()).map(|s| Value::String(s.into())).collect(),
        ),
        _ => Value::String(cell.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping;

    fn schema(header: &str, format: Format) -> Schema {
        let headers: Vec<String> = header.split(',').map(String::from).collect();
        Schema { format, columns: mapping::build(&headers, format, &[]).unwrap() }
    }

    fn rec(cells: &[&str]) -> StringRecord {
        StringRecord::from(cells.to_vec())
    }

    #[test]
    fn a_row_becomes_a_candidate() {
        let s = schema("Email,First Name,Last Name,Tags,Total Spent,Opens Email,DAW,Interests", Format::Activecampaign);
        let c = s
            .parse(
                &rec(&[
                    " Ana@Example.com ",
                    "Ana",
                    "Silva",
                    "vip, EDM,Vip",
                    "$1,234.50",
                    "yes",
                    "Ableton||Bitwig",
                    "a||b",
                ]),
                2,
            )
            .unwrap()
            .unwrap();
        assert_eq!((c.email.as_str(), c.email_norm.as_str()), ("Ana@Example.com", "ana@example.com"));
        assert_eq!(c.get(Field::Name), None, "no name cell: the merge makes it from the first and last names");
        assert_eq!(c.tags, ["vip", "EDM"]);
        assert_eq!(c.get(Field::TotalSpent), Some(&Val::Int(123_450)));
        assert_eq!(c.get(Field::OpensEmail), Some(&Val::Int(1)));
        assert_eq!(c.get(Field::Daw), Some(&Val::Text("Ableton, Bitwig".into())));
        assert_eq!(c.custom["Interests"], serde_json::json!(["a", "b"]));
    }

    #[test]
    fn bad_cells_reject_the_row_with_line_and_column() {
        let s = schema("Email,Score", Format::Csv);
        let r = s.parse(&rec(&["not-an-email", "1"]), 7).unwrap_err();
        assert_eq!((r.line, r.column.as_deref()), (7, Some("Email")));
        let r = s.parse(&rec(&["a@b.co", "lots"]), 8).unwrap_err();
        assert_eq!(r.column.as_deref(), Some("Score"));
        let r = s.parse(&rec(&["a@b.co", "1", "extra"]), 9).unwrap_err();
        assert_eq!(r.column, None, "too many cells is the row's fault");
        assert!(s.parse(&rec(&["a@b.co", "1", ""]), 9).is_ok(), "trailing empty cells are harmless");
        assert!(s.parse(&rec(&["a@b.co"]), 9).is_ok(), "missing trailing cells are blank");
        assert_eq!(s.parse(&rec(&["", " "]), 10), Ok(None), "a blank line is not a row");
    }

    #[test]
    fn duplicates_fold_first_non_empty_wins_and_suppression_sticks() {
        let s = schema("email,name,phone,status,tags", Format::Csv);
        let mut a = s.parse(&rec(&["a@b.co", "", "111", "active", "x"]), 2).unwrap().unwrap();
        let b = s.parse(&rec(&["A@B.CO", "Ann", "222", "unsubscribed", "X,y"]), 3).unwrap().unwrap();
        a.absorb(b);
        assert_eq!(a.get(Field::Name), Some(&Val::Text("Ann".into())));
        assert_eq!(a.get(Field::Phone), Some(&Val::Text("111".into())));
        assert_eq!(a.suppression(), Some("unsubscribed"));
        assert_eq!(a.tags, ["x", "y"]);
    }

    #[test]
    fn mailchimp_unsubscribe_time_marks_the_contact_and_is_kept() {
        let s = schema("Email Address,UNSUB_TIME,MEMBER_RATING", Format::Mailchimp);
        let c = s.parse(&rec(&["a@b.co", "2024-01-02 03:04:05", "2"]), 2).unwrap().unwrap();
        assert_eq!(c.suppression(), Some("unsubscribed"));
        assert_eq!(c.custom["UNSUB_TIME"], "2024-01-02 03:04:05");
        assert_eq!(c.custom["MEMBER_RATING"], "2");
    }
}
