//! The whitelist of fields a segment can test, their kinds, and which operators fit each kind.
//! Field names map to fixed SQL columns here and nowhere else; user text never becomes SQL.

use serde::Serialize;

/// What kind of value a field holds; it decides the operators and the value a condition takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Text,
    Number,
    Boolean,
    Date,
    Tags,
}

/// A field of a contact that a condition can test.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Field {
    Email,
    Name,
    Type,
    Source,
    Status,
    Daw,
    TypeOfMusic,
    StudentLevel,
    Phone,
    Score,
    /// In currency units in a segment; stored as integer cents.
    TotalSpent,
    OpensEmail,
    ClicksLinks,
    HasAccount,
    LastOpenDate,
    CreatedAt,
    UpdatedAt,
    Tags,
    /// An imported custom field, `custom.<name>`; compared as text.
    Custom(String),
}

/// The fixed fields in catalog order (custom fields come after, per store).
pub const FIXED: &[Field] = &[
    Field::Email,
    Field::Name,
    Field::Type,
    Field::Source,
    Field::Status,
    Field::Daw,
    Field::TypeOfMusic,
    Field::StudentLevel,
    Field::Phone,
    Field::Score,
    Field::TotalSpent,
    Field::OpensEmail,
    Field::ClicksLinks,
    Field::HasAccount,
    Field::LastOpenDate,
    Field::CreatedAt,
    Field::UpdatedAt,
    Field::Tags,
];

/// The values `type` may take.
pub const TYPES: &[&str] = &["lead", "paying", "subscription"];
/// The values `status` may take.
pub const STATUSES: &[&str] = &["active", "unsubscribed", "bounced", "complained"];

impl Field {
    /// Parses a segment's field name: a fixed name or `custom.<name>` (the name taken verbatim).
    pub fn parse(name: &str) -> Option<Field> {
        if let Some(custom) = name.strip_prefix("custom.") {
            return Some(Field::Custom(custom.to_string()));
        }
        FIXED.iter().find(|f| f.name() == name).cloned()
    }

    /// The name used in segment JSON.
    pub fn name(&self) -> String {
        match self {
            Field::Custom(n) => format!("custom.{n}"),
            other => other.fixed_name().to_string(),
        }
    }

    fn fixed_name(&self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::Name => "name",
            Field::Type => "type",
            Field::Source => "source",
            Field::Status => "status",
            Field::Daw => "daw",
            Field::TypeOfMusic => "type_of_music",
            Field::StudentLevel => "student_level",
            Field::Phone => "phone",
            Field::Score => "score",
            Field::TotalSpent => "total_spent",
            Field::OpensEmail => "opens_email",
            Field::ClicksLinks => "clicks_links",
            Field::HasAccount => "has_account",
            Field::LastOpenDate => "last_open_date",
            Field::CreatedAt => "created_at",
            Field::UpdatedAt => "updated_at",
            Field::Tags => "tags",
            Field::Custom(_) => "custom",
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Field::Email
            | Field::Name
            | Field::Type
            | Field::Source
            | Field::Status
            | Field::Daw
            | Field::TypeOfMusic
            | Field::StudentLevel
            | Field::Phone
            | Field::Custom(_) => Kind::Text,
            Field::Score | Field::TotalSpent => Kind::Number,
            Field::OpensEmail | Field::ClicksLinks | Field::HasAccount => Kind::Boolean,
            Field::LastOpenDate | Field::CreatedAt | Field::UpdatedAt => Kind::Date,
            Field::Tags => Kind::Tags,
        }
    }

    /// The column of `customers c` holding a plain field. `None` for tags, has_account and custom
    /// fields, which the compiler reaches through other tables or JSON.
    pub fn column(&self) -> Option<&'static str> {
        Some(match self {
            Field::Email => "c.email_norm",
            Field::Name => "c.name",
            Field::Type => "c.type",
            Field::Source => "c.source",
            Field::Status => "c.status",
            Field::Daw => "c.daw",
            Field::TypeOfMusic => "c.type_of_music",
            Field::StudentLevel => "c.student_level",
            Field::Phone => "c.phone",
            Field::Score => "c.score",
            Field::TotalSpent => "c.total_spent_cents",
            Field::OpensEmail => "c.opens_email",
            Field::ClicksLinks => "c.clicks_links",
            Field::LastOpenDate => "c.last_open_date",
            Field::CreatedAt => "c.created_at",
            Field::UpdatedAt => "c.updated_at",
            Field::HasAccount | Field::Tags | Field::Custom(_) => return None,
        })
    }

    /// The closed set of values of an enumerated text field (`type`, `status`), if any.
    pub fn allowed_values(&self) -> Option<&'static [&'static str]> {
        match self {
            Field::Type => Some(TYPES),
            Field::Status => Some(STATUSES),
            _ => None,
        }
    }
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Eq,
    Neq,
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
    IsEmpty,
    IsNotEmpty,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    Before,
    After,
    WithinDays,
    NotWithinDays,
    HasAny,
    HasAll,
    HasNone,
}

pub const OPS: &[Op] = &[
    Op::Eq,
    Op::Neq,
    Op::In,
    Op::NotIn,
    Op::Contains,
    Op::NotContains,
    Op::StartsWith,
    Op::EndsWith,
    Op::IsEmpty,
    Op::IsNotEmpty,
    Op::Gt,
    Op::Gte,
    Op::Lt,
    Op::Lte,
    Op::Between,
    Op::Before,
    Op::After,
    Op::WithinDays,
    Op::NotWithinDays,
    Op::HasAny,
    Op::HasAll,
    Op::HasNone,
];

impl Op {
    /// Parses an operator name exactly as written (no trimming, no case folding).
    pub fn parse(name: &str) -> Option<Op> {
        OPS.iter().copied().find(|op| op.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Neq => "neq",
            Op::In => "in",
            Op::NotIn => "not_in",
            Op::Contains => "contains",
            Op::NotContains => "not_contains",
            Op::StartsWith => "starts_with",
            Op::EndsWith => "ends_with",
            Op::IsEmpty => "is_empty",
            Op::IsNotEmpty => "is_not_empty",
            Op::Gt => "gt",
            Op::Gte => "gte",
            Op::Lt => "lt",
            Op::Lte => "lte",
            Op::Between => "between",
            Op::Before => "before",
            Op::After => "after",
            Op::WithinDays => "within_days",
            Op::NotWithinDays => "not_within_days",
            Op::HasAny => "has_any",
            Op::HasAll => "has_all",
            Op::HasNone => "has_none",
        }
    }
}

impl Kind {
    /// The operators that fit this kind of field, in the order a picker shows them.
    pub fn ops(self) -> &'static [Op] {
        use Op::*;
        match self {
            Kind::Text => &[Eq, Neq, In, NotIn, Contains, NotContains, StartsWith, EndsWith, IsEmpty, IsNotEmpty],
            Kind::Number => &[Eq, Neq, In, NotIn, Gt, Gte, Lt, Lte, Between],
            Kind::Boolean => &[Eq, Neq],
            Kind::Date => &[Before, After, Between, WithinDays, NotWithinDays, IsEmpty, IsNotEmpty],
            Kind::Tags => &[HasAny, HasAll, HasNone, IsEmpty, IsNotEmpty],
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "number",
            Kind::Boolean => "boolean",
            Kind::Date => "date",
            Kind::Tags => "tags",
        }
    }
}

/// One entry of the field picker: a field, its kind, its operators and (for enumerations) its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    pub field: String,
    pub kind: Kind,
    pub ops: Vec<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<&'static [&'static str]>,
}

/// The field picker's catalog: every fixed field, then `custom.<name>` for each given custom name.
pub fn catalog(custom_names: &[String]) -> Vec<FieldSpec> {
    FIXED
        .iter()
        .cloned()
        .chain(custom_names.iter().map(|n| Field::Custom(n.clone())))
        .map(|f| FieldSpec {
            field: f.name(),
            kind: f.kind(),
            ops: f.kind().ops().iter().map(|o| o.name()).collect(),
            values: f.allowed_values(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_field_and_operator_round_trips_its_name() {
        for f in FIXED {
            assert_eq!(Field::parse(&f.name()).as_ref(), Some(f), "field {} must parse back", f.name());
        }
        for op in OPS {
            assert_eq!(Op::parse(op.name()), Some(*op), "operator {} must parse back", op.name());
        }
        assert_eq!(Field::parse("custom.plan.tier"), Some(Field::Custom("plan.tier".into())));
        assert_eq!(Op::parse("gte "), None, "operator names are exact: no trimming");
    }
}
