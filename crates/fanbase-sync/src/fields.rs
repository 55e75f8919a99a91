//! The fixed whitelist of Customer fields that sync moves: contract name ↔ local column, and the
//! conversion between contract units (dollars, bools, optional text) and local ones (cents, 0/1, '').

use serde_json::{json, Map, Value};

use crate::wire::Customer;

/// A scalar Customer field that sync reads and writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    Email,
    Name,
    Type,
    Source,
    TotalSpent,
    Score,
    Daw,
    TypeOfMusic,
    StudentLevel,
    Phone,
    OpensEmail,
    ClicksLinks,
    LastOpenDate,
    Status,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::Email,
        Field::Name,
        Field::Type,
        Field::Source,
        Field::TotalSpent,
        Field::Score,
        Field::Daw,
        Field::TypeOfMusic,
        Field::StudentLevel,
        Field::Phone,
        Field::OpensEmail,
        Field::ClicksLinks,
        Field::LastOpenDate,
        Field::Status,
    ];

    /// The contract's name of the field.
    pub fn wire(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::Type => "type",
            Field::Source => "source",
            Field::TotalSpent => "totalSpent",
            Field::Score => "score",
            Field::Daw => "daw",
            Field::TypeOfMusic => "typeOfMusic",
            Field::StudentLevel => "studentLevel",
            Field::Phone => "phone",
            Field::OpensEmail => "opensEmail",
            Field::ClicksLinks => "clicksLinks",
            Field::LastOpenDate => "lastOpenDate",
            Field::Status => "status",
        }
    }

    /// The local column of the field in `customers`.
    pub fn column(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::Type => "type",
            Field::Source => "source",
            Field::TotalSpent => "total_spent_cents",
            Field::Score => "score",
            Field::Daw => "daw",
            Field::TypeOfMusic => "type_of_music",
            Field::StudentLevel => "student_level",
            Field::Phone => "phone",
            Field::OpensEmail => "opens_email",
            Field::ClicksLinks => "clicks_links",
            Field::LastOpenDate => "last_open_date",
            Field::Status => "status",
        }
    }

    /// Reads an outbox `set_fields` key: the contract name (value in contract units) or the local
    /// column name (value in local units). Returns the field and whether the key was a column name.
    pub fn parse_key(key: &str) -> Option<(Field, bool)> {
        let key = key.trim();
        Field::ALL
            .iter()
            .find_map(|f| {
                if f.wire() == key {
                    Some((*f, false))
                } else if f.column() == key {
                    Some((*f, true))
                } else {
                    None
                }
            })
            .or_else(|| (key == "total_spent").then_some((Field::TotalSpent, false)))
    }

    /// Converts an outbox value to its contract value. `local_units` is true for column-named keys.
    pub fn to_wire(self, value: &Value, local_units: bool) -> Value {
        match self {
            Field::TotalSpent if local_units => json!(value.as_f64().unwrap_or(0.0) / 100.0),
            Field::OpensEmail | Field::ClicksLinks => Value::Bool(truthy(value)),
            Field::LastOpenDate => match value.as_f64() {
                Some(v) if v > 0.0 => json!(v.round() as i64),
                _ => Value::Null,
            },
            Field::Score => json!(value.as_f64().unwrap_or(0.0).round() as i64),
            _ => value.clone(),
        }
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
        Value::String(s) => matches!(s.as_str(), "true" | "1" | "yes"),
        _ => false,
    }
}

/// A customer's synced fields in local units, as stored in `customers`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Values {
    pub email: String,
    pub name: String,
    pub kind: String,
    pub source: String,
    pub total_spent_cents: i64,
    pub score: i64,
    pub daw: String,
    pub type_of_music: String,
    pub student_level: String,
    pub phone: String,
    pub opens_email: bool,
    pub clicks_links: bool,
    pub last_open_date: i64,
    pub status: String,
}

const KINDS: [&str; 3] = ["lead", "paying", "subscription"];
const STATUSES: [&str; 4] = ["active", "unsubscribed", "bounced", "complained"];

impl Values {
    /// The local values of a platform record. Values outside the local schema's CHECKs fall back to
    /// the defaults (`lead`, `active`) rather than failing the whole page.
    pub fn from_wire(c: &Customer) -> Values {
        let pick = |v: &str, allowed: &[&str], default: &str| {
            if allowed.contains(&v) {
                v.to_string()
            } else {
                default.to_string()
            }
        };
        Values {
            email: c.email.trim().to_string(),
            name: c.name.trim().to_string(),
            kind: pick(&c.kind, &KINDS, "lead"),
            source: c.source.clone(),
            total_spent_cents: (c.total_spent * 100.0).round() as i64,
            score: c.score.round() as i64,
            daw: c.daw.clone().unwrap_or_default(),
            type_of_music: c.type_of_music.clone().unwrap_or_default(),
            student_level: c.student_level.clone().unwrap_or_default(),
            phone: c.phone.clone().unwrap_or_default(),
            opens_email: c.opens_email,
            clicks_links: c.clicks_links,
            last_open_date: c.last_open_date.unwrap_or(0).max(0),
            status: pick(&c.status, &STATUSES, "active"),
        }
    }

    /// Whether the field holds something (not '', 0, false or the default type/status).
    pub fn is_set(&self, f: Field) -> bool {
        match f {
            Field::Email => !self.email.is_empty(),
            Field::Name => !self.name.is_empty(),
            Field::Type => self.kind != "lead",
            Field::Source => !self.source.is_empty(),
            Field::TotalSpent => self.total_spent_cents != 0,
            Field::Score => self.score != 0,
            Field::Daw => !self.daw.is_empty(),
            Field::TypeOfMusic => !self.type_of_music.is_empty(),
            Field::StudentLevel => !self.student_level.is_empty(),
            Field::Phone => !self.phone.is_empty(),
            Field::OpensEmail => self.opens_email,
            Field::ClicksLinks => self.clicks_links,
            Field::LastOpenDate => self.last_open_date > 0,
            Field::Status => self.status != "active",
        }
    }

    /// The contract value of a field.
    pub fn wire_value(&self, f: Field) -> Value {
        match f {
            Field::Email => json!(self.email),
            Field::Name => json!(self.name),
            Field::Type => json!(self.kind),
            Field::Source => json!(self.source),
            Field::TotalSpent => json!(self.total_spent_cents as f64 / 100.0),
            Field::Score => json!(self.score),
            Field::Daw => json!(self.daw),
            Field::TypeOfMusic => json!(self.type_of_music),
            Field::StudentLevel => json!(self.student_level),
            Field::Phone => json!(self.phone),
            Field::OpensEmail => json!(self.opens_email),
            Field::ClicksLinks => json!(self.clicks_links),
            Field::LastOpenDate if self.last_open_date > 0 => json!(self.last_open_date),
            Field::LastOpenDate => Value::Null,
            Field::Status => json!(self.status),
        }
    }

    /// The `set` of a create: every field that holds something, except the email (sent beside it).
    pub fn create_set(&self) -> Map<String, Value> {
        Field::ALL
            .iter()
            .filter(|f| **f != Field::Email && self.is_set(**f))
            .map(|f| (f.wire().to_string(), self.wire_value(*f)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_by_contract_or_column_name() {
        assert_eq!(Field::parse_key("typeOfMusic"), Some((Field::TypeOfMusic, false)));
        assert_eq!(Field::parse_key("type_of_music"), Some((Field::TypeOfMusic, true)));
        assert_eq!(Field::parse_key("custom.instrument"), None, "custom fields are local only");
        for f in Field::ALL {
            assert_eq!(Field::parse_key(f.wire()).map(|p| p.0), Some(f), "{f:?} round-trips by wire name");
            assert_eq!(Field::parse_key(f.column()).map(|p| p.0), Some(f), "{f:?} round-trips by column");
        }
    }

    #[test]
    fn values_convert_units() {
        assert_eq!(Field::TotalSpent.to_wire(&json!(4999), true), json!(49.99), "cents become dollars");
        assert_eq!(Field::TotalSpent.to_wire(&json!(49.99), false), json!(49.99), "dollars stay dollars");
        assert_eq!(Field::OpensEmail.to_wire(&json!(1), true), json!(true));
        assert_eq!(Field::LastOpenDate.to_wire(&json!(0), true), Value::Null, "0 means never opened");
        let mut v = Values { total_spent_cents: 1990, kind: "paying".into(), ..Values::default() };
        v.status = "active".into();
        let set = v.create_set();
        assert_eq!(set.get("totalSpent"), Some(&json!(19.9)));
        assert_eq!(set.get("type"), Some(&json!("paying")));
        assert!(!set.contains_key("status"), "defaults are not sent in a create");
    }

    #[test]
    fn out_of_schema_values_fall_back_to_defaults() {
        let c: Customer = serde_json::from_value(json!({"_id": "x", "email": " A@B.co ", "type": "vip",
            "status": "weird", "totalSpent": 10.006, "updatedAt": 5}))
        .unwrap();
        let v = Values::from_wire(&c);
        assert_eq!((v.kind.as_str(), v.status.as_str()), ("lead", "active"));
        assert_eq!(v.email, "A@B.co", "email is trimmed, case kept");
        assert_eq!(v.total_spent_cents, 1001, "money is rounded to whole cents");
    }
}
