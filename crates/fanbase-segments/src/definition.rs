//! The segment tree: nested `all` / `any` / `none` groups of conditions, and its JSON form.
//! A `Condition` can only be made through validation, so every condition the compiler sees is sound.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};

use crate::field::{Field, Op};
use crate::parse::{self, Invalid};

/// A segment: a group of segments or one condition. Groups nest to any depth.
///
/// An empty group is refused when parsing JSON; built in code it means what logic says:
/// `All([])` matches everyone, `Any([])` no one, `None([])` everyone.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// Every member matches (AND).
    All(Vec<Segment>),
    /// At least one member matches (OR).
    Any(Vec<Segment>),
    /// No member matches (NOT ANY).
    None(Vec<Segment>),
    Condition(Condition),
}

/// One test of one field. Fields are private: make one with [`Condition::new`] or by parsing JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub(crate) field: Field,
    pub(crate) op: Op,
    pub(crate) value: Operand,
}

/// A condition's value after validation, in storage units: money in cents, dates in ms, days as days.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// `is_empty` / `is_not_empty` take no value.
    Nothing,
    Text(String),
    Texts(Vec<String>),
    Int(i64),
    Ints(Vec<i64>),
    /// `between`: both bounds included, `low <= high`.
    Range(i64, i64),
    Bool(bool),
}

impl Condition {
    /// Validates `value` (in its JSON form, as in a segment) for `field` and `op`.
    pub fn new(field: Field, op: Op, value: Value) -> Result<Condition, Invalid> {
        let mut node = json!({"field": field.name(), "op": op.name()});
        if !value.is_null() {
            node["value"] = value;
        }
        parse::parse_condition(&node, "")
    }

    pub fn field(&self) -> &Field {
        &self.field
    }

    pub fn op(&self) -> Op {
        self.op
    }

    pub fn operand(&self) -> &Operand {
        &self.value
    }

    /// The condition as segment JSON, with money back in currency units.
    pub fn to_json(&self) -> Value {
        let mut node = json!({"field": self.field.name(), "op": self.op.name()});
        let money = matches!(self.field, Field::TotalSpent);
        let num = |n: i64| if money { cents_to_units(n) } else { Value::from(n) };
        let value = match &self.value {
            Operand::Nothing => return node,
            Operand::Text(s) => Value::from(s.clone()),
            Operand::Texts(v) => Value::from(v.clone()),
            Operand::Int(n) => num(*n),
            Operand::Ints(v) => Value::Array(v.iter().map(|n| num(*n)).collect()),
            Operand::Range(a, b) => Value::Array(vec![num(*a), num(*b)]),
            Operand::Bool(b) => Value::from(*b),
        };
        node["value"] = value;
        node
    }
}

fn cents_to_units(cents: i64) -> Value {
    if cents % 100 == 0 {
        Value::from(cents / 100)
    } else {
        Value::from(cents as f64 / 100.0)
    }
}

impl Segment {
    /// Parses and validates segment JSON; an error names the path of the bad node.
    pub fn from_json(value: &Value) -> Result<Segment, Invalid> {
        parse::node(value, "")
    }

    /// Parses segment JSON text.
    pub fn from_json_str(text: &str) -> Result<Segment, Invalid> {
        let value: Value = serde_json::from_str(text).map_err(|e| Invalid::new("", format!("not valid JSON: {e}")))?;
        Segment::from_json(&value)
    }

    /// The canonical JSON form (what is saved): parsing it gives back an equal segment.
    pub fn to_json(&self) -> Value {
        let group =
            |key: &str, members: &[Segment]| json!({ key: members.iter().map(Segment::to_json).collect::<Vec<_>>() });
        match self {
            Segment::All(m) => group("all", m),
            Segment::Any(m) => group("any", m),
            Segment::None(m) => group("none", m),
            Segment::Condition(c) => c.to_json(),
        }
    }

    /// Every condition with its path (`all[1].any[0]`), depth first, in document order.
    pub fn conditions(&self) -> Vec<(String, &Condition)> {
        let mut out = Vec::new();
        self.walk("", &mut out);
        out
    }

    fn walk<'a>(&'a self, path: &str, out: &mut Vec<(String, &'a Condition)>) {
        let (key, members) = match self {
            Segment::All(m) => ("all", m),
            Segment::Any(m) => ("any", m),
            Segment::None(m) => ("none", m),
            Segment::Condition(c) => return out.push((path.to_string(), c)),
        };
        for (i, m) in members.iter().enumerate() {
            m.walk(&format!("{}[{i}]", parse::child(path, key)), out);
        }
    }
}

impl Serialize for Segment {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Segment::from_json(&value).map_err(serde::de::Error::custom)
    }
}
