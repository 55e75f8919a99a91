//! The contact fields an import can set, their columns in `customers`, their blank values, and
//! `Val`, one stored value (text or integer).

use serde::{Deserialize, Serialize};

/// A scalar field of a contact. Email (the identity), tags and custom fields are handled apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Name,
    FirstName,
    LastName,
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
    CreatedAt,
}

/// Every field, in the order of their bits in a mask and of their columns in SQL.
pub const FIELDS: [Field; 16] = [
    Field::Name,
    Field::FirstName,
    Field::LastName,
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
    Field::CreatedAt,
];
pub const N_FIELDS: usize = FIELDS.len();

/// How a field's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Type,
    Status,
    Int,
    Bool,
    Date,
    Money,
}

/// One stored value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    Text(String),
    Int(i64),
}

impl Field {
    pub fn index(self) -> usize {
        self as usize
    }

    /// The snake_case name used by `--map`, the CLI's JSON and the export header.
    pub fn name(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Type => "type",
            Field::Source => "source",
            Field::TotalSpent => "total_spent",
            Field::Score => "score",
            Field::Daw => "daw",
            Field::TypeOfMusic => "type_of_music",
            Field::StudentLevel => "student_level",
            Field::Phone => "phone",
            Field::OpensEmail => "opens_email",
            Field::ClicksLinks => "clicks_links",
            Field::LastOpenDate => "last_open_date",
            Field::Status => "status",
            Field::CreatedAt => "created_at",
        }
    }

    /// The column in `customers`. A fixed whitelist: never built from input.
    pub fn column(self) -> &'static str {
        match self {
            Field::TotalSpent => "total_spent_cents",
            other => other.name(),
        }
    }

    pub fn kind(self) -> Kind {
        match self {
            Field::Type => Kind::Type,
            Field::Status => Kind::Status,
            Field::Score => Kind::Int,
            Field::OpensEmail | Field::ClicksLinks => Kind::Bool,
            Field::LastOpenDate | Field::CreatedAt => Kind::Date,
            Field::TotalSpent => Kind::Money,
            _ => Kind::Text,
        }
    }

    /// The value a contact has when this field was never set: what "blank" means for fill-empty.
    pub fn blank(self) -> Val {
        match self.kind() {
            Kind::Type => Val::Text("lead".into()),
            Kind::Status => Val::Text("active".into()),
            Kind::Text => Val::Text(String::new()),
            _ => Val::Int(0),
        }
    }

    /// Whether sync sends the field to the platform: its Customer has no first or last name and
    /// keeps its own creation time.
    pub fn synced(self) -> bool {
        !matches!(self, Field::FirstName | Field::LastName | Field::CreatedAt)
    }

    pub fn from_name(name: &str) -> Option<Field> {
        FIELDS.iter().copied().find(|f| f.name() == name)
    }
}

impl Val {
    pub fn as_str(&self) -> &str {
        match self {
            Val::Text(s) => s,
            Val::Int(_) => "",
        }
    }

    pub fn as_int(&self) -> i64 {
        match self {
            Val::Int(n) => *n,
            Val::Text(_) => 0,
        }
    }

    /// The value as JSON, in local units (cents, 0/1, epoch ms).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Val::Text(s) => serde_json::Value::from(s.as_str()),
            Val::Int(n) => serde_json::Value::from(*n),
        }
    }
}

/// All field values of a stored contact, indexed by `Field::index`.
pub type Values = [Val; N_FIELDS];

/// The blank value of every field.
pub fn blank_values() -> Values {
    FIELDS.map(Field::blank)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_in_index_order_and_named_uniquely() {
        for (i, f) in FIELDS.iter().enumerate() {
            assert_eq!(f.index(), i, "FIELDS must list the fields in declaration order");
            assert_eq!(Field::from_name(f.name()), Some(*f));
        }
    }
}
