//! The scalar Customer fields a change may `set`: their wire names, validation of pushed values,
//! and how a validated value is written (reporting whether it changed anything).

use serde_json::Value;

use crate::records::{dollars, email_is_valid, Customer, CustomerType, Status};

pub const FIELD_COUNT: usize = 14;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub const ALL: [Field; FIELD_COUNT] = [
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

    pub fn name(self) -> &'static str {
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

    pub fn parse(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A pushed value that passed validation for its field.
#[derive(Debug, Clone, PartialEq)]
pub enum Valid {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Bool(bool),
    Type(CustomerType),
    Status(Status),
}

/// Parses every entry of a change's `set`; the message names the first field that cannot apply.
pub fn validate_set(set: &serde_json::Map<String, Value>) -> Result<Vec<(Field, Valid)>, String> {
    set.iter()
        .map(|(name, value)| {
            let field = Field::parse(name).ok_or_else(|| unknown_field(name))?;
            validate(field, value).map(|v| (field, v)).map_err(|why| format!("field `{name}`: {why}"))
        })
        .collect()
}

fn unknown_field(name: &str) -> String {
    if name == "tags" {
        return "tags are changed with addTags/removeTags, not set".into();
    }
    let known: Vec<_> = Field::ALL.iter().map(|f| f.name()).collect();
    format!("field `{name}` cannot be set; settable fields are {}", known.join(", "))
}

fn validate(field: Field, value: &Value) -> Result<Valid, String> {
    match field {
        Field::Email => match value.as_str() {
            Some(e) if email_is_valid(e) => Ok(Valid::Text(e.trim().to_string())),
            Some(e) => Err(format!("`{e}` is not a valid email address")),
            None => Err("must be a string".into()),
        },
        Field::Name | Field::Source => {
            value.as_str().map(|s| Valid::Text(s.to_string())).ok_or("must be a string".into())
        }
        Field::Daw | Field::TypeOfMusic | Field::StudentLevel | Field::Phone => match value {
            Value::Null => Ok(Valid::OptText(None)),
            Value::String(s) if s.is_empty() => Ok(Valid::OptText(None)),
            Value::String(s) => Ok(Valid::OptText(Some(s.clone()))),
            _ => Err("must be a string or null".into()),
        },
        Field::TotalSpent => match value.as_f64() {
            Some(d) if d.is_finite() && d >= 0.0 => Ok(Valid::Int(dollars::to_cents(d))),
            _ => Err("must be a non-negative number of dollars".into()),
        },
        Field::Score => whole(value).map(Valid::Int).ok_or("must be a whole number".into()),
        Field::LastOpenDate => match value {
            Value::Null => Ok(Valid::OptInt(None)),
            v => whole(v).map(|t| Valid::OptInt(Some(t))).ok_or("must be epoch milliseconds or null".into()),
        },
        Field::OpensEmail | Field::ClicksLinks => {
            value.as_bool().map(Valid::Bool).ok_or("must be true or false".into())
        }
        Field::Type => serde_json::from_value(value.clone())
            .map(Valid::Type)
            .map_err(|_| "must be one of lead, paying, subscription".into()),
        Field::Status => serde_json::from_value(value.clone())
            .map(Valid::Status)
            .map_err(|_| "must be one of active, unsubscribed, bounced, complained".into()),
    }
}

fn whole(value: &Value) -> Option<i64> {
    if let Some(i) = value.as_i64() {
        return Some(i);
    }
    value.as_f64().filter(|f| f.fract() == 0.0 && f.is_finite()).map(|f| f as i64)
}

/// Writes one validated value; true when the customer's value actually changed.
pub fn write(c: &mut Customer, field: Field, value: Valid) -> bool {
    fn put<T: PartialEq>(slot: &mut T, v: T) -> bool {
        let changed = *slot != v;
        *slot = v;
        changed
    }
    match (field, value) {
        (Field::Email, Valid::Text(v)) => put(&mut c.email, v),
        (Field::Name, Valid::Text(v)) => put(&mut c.name, v),
        (Field::Source, Valid::Text(v)) => put(&mut c.source, v),
        (Field::Daw, Valid::OptText(v)) => put(&mut c.daw, v),
        (Field::TypeOfMusic, Valid::OptText(v)) => put(&mut c.type_of_music, v),
        (Field::StudentLevel, Valid::OptText(v)) => put(&mut c.student_level, v),
        (Field::Phone, Valid::OptText(v)) => put(&mut c.phone, v),
        (Field::TotalSpent, Valid::Int(v)) => put(&mut c.total_spent_cents, v),
        (Field::Score, Valid::Int(v)) => put(&mut c.score, v),
        (Field::LastOpenDate, Valid::OptInt(v)) => put(&mut c.last_open_date, v),
        (Field::OpensEmail, Valid::Bool(v)) => put(&mut c.opens_email, v),
        (Field::ClicksLinks, Valid::Bool(v)) => put(&mut c.clicks_links, v),
        (Field::Type, Valid::Type(v)) => put(&mut c.kind, v),
        (Field::Status, Valid::Status(v)) => put(&mut c.status, v),
        (field, value) => unreachable!("validate() made {value:?} for {field:?}"),
    }
}

/// A value different from the current one, as a person editing on the web would make it.
pub fn web_value(c: &Customer, field: Field) -> Valid {
    let edited = |s: &str| format!("{s} (edited on the web)");
    match field {
        Field::Email => Valid::Text(format!("web.{}", c.email)),
        Field::Name => Valid::Text(edited(&c.name)),
        Field::Source => Valid::Text(edited(&c.source)),
        Field::Daw => Valid::OptText(Some(edited(c.daw.as_deref().unwrap_or("")))),
        Field::TypeOfMusic => Valid::OptText(Some(edited(c.type_of_music.as_deref().unwrap_or("")))),
        Field::StudentLevel => Valid::OptText(Some(edited(c.student_level.as_deref().unwrap_or("")))),
        Field::Phone => Valid::OptText(Some(edited(c.phone.as_deref().unwrap_or("")))),
        Field::TotalSpent => Valid::Int(c.total_spent_cents + 100),
        Field::Score => Valid::Int(c.score + 1),
        Field::LastOpenDate => Valid::OptInt(Some(c.last_open_date.unwrap_or(0) + 1)),
        Field::OpensEmail => Valid::Bool(!c.opens_email),
        Field::ClicksLinks => Valid::Bool(!c.clicks_links),
        Field::Type => Valid::Type(match c.kind {
            CustomerType::Lead => CustomerType::Paying,
            _ => CustomerType::Lead,
        }),
        Field::Status => Valid::Status(match c.status {
            Status::Active => Status::Bounced,
            _ => Status::Active,
        }),
    }
}
