//! Validation of segment JSON into a [`Segment`]. Every error names the path of the bad node,
//! for example `all[1].any[0].op: unknown operator "gte "`; the root node's own path is `(root)`.

use serde_json::{Map, Value};

use crate::definition::{Condition, Operand, Segment};
use crate::field::{Field, Kind, Op};

const DAY_MS: i64 = 86_400_000;
/// Day counts above this (about 270 years) are refused: they would overflow time arithmetic.
const MAX_DAYS: i64 = 100_000;

/// A segment (or scoring rule) that does not validate: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", if path.is_empty() { "(root)" } else { path.as_str() })]
pub struct Invalid {
    /// Dotted path of the bad node, like `all[1].any[0].op`; empty for the root.
    pub path: String,
    pub message: String,
}

impl Invalid {
    pub fn new(path: &str, message: impl Into<String>) -> Invalid {
        Invalid { path: path.to_string(), message: message.into() }
    }

    /// The same error seen from a parent: `prefix` goes in front of the path.
    pub fn under(self, prefix: &str) -> Invalid {
        let path = if self.path.is_empty() {
            prefix.to_string()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            child(prefix, &self.path)
        };
        Invalid { path, message: self.message }
    }
}

/// `parent.key`, or `key` at the root.
pub(crate) fn child(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

const GROUP_KEYS: [&str; 3] = ["all", "any", "none"];

/// Parses any node: a group or a condition.
pub(crate) fn node(value: &Value, path: &str) -> Result<Segment, Invalid> {
    let Some(obj) = value.as_object() else {
        return Err(Invalid::new(path, "expected an object with \"all\", \"any\", \"none\" or \"field\""));
    };
    let groups: Vec<&str> = GROUP_KEYS.iter().copied().filter(|k| obj.contains_key(*k)).collect();
    match groups.as_slice() {
        [] if obj.contains_key("field") || obj.contains_key("op") => condition(value, path),
        [] => Err(Invalid::new(path, "expected an object with \"all\", \"any\", \"none\" or \"field\"")),
        [key] => group(obj, key, path),
        [_, second, ..] => Err(Invalid::new(
            &child(path, second),
            "a group has exactly one of \"all\", \"any\" or \"none\": nest a second group inside it",
        )),
    }
}

fn group(obj: &Map<String, Value>, key: &str, path: &str) -> Result<Segment, Invalid> {
    if let Some(extra) = obj.keys().find(|k| k.as_str() != key) {
        return Err(Invalid::new(&child(path, extra), format!("unknown key {extra:?} in a group")));
    }
    let here = child(path, key);
    let Some(items) = obj[key].as_array() else {
        return Err(Invalid::new(&here, "expected a list of conditions and groups"));
    };
    if items.is_empty() {
        return Err(Invalid::new(&here, "empty group: add at least one condition"));
    }
    let members =
        items.iter().enumerate().map(|(i, item)| node(item, &format!("{here}[{i}]"))).collect::<Result<Vec<_>, _>>()?;
    Ok(match key {
        "all" => Segment::All(members),
        "any" => Segment::Any(members),
        _ => Segment::None(members),
    })
}

/// Parses a condition node `{"field": .., "op": .., "value": ..}` at `path`.
pub(crate) fn condition(value: &Value, path: &str) -> Result<Segment, Invalid> {
    parse_condition(value, path).map(Segment::Condition)
}

pub(crate) fn parse_condition(value: &Value, path: &str) -> Result<Condition, Invalid> {
    let Some(obj) = value.as_object() else {
        return Err(Invalid::new(path, "expected a condition object with \"field\", \"op\" and \"value\""));
    };
    if let Some(extra) = obj.keys().find(|k| !["field", "op", "value"].contains(&k.as_str())) {
        return Err(Invalid::new(
            &child(path, extra),
            format!("unknown key {extra:?}: a condition has \"field\", \"op\" and \"value\""),
        ));
    }
    let field_path = child(path, "field");
    let field = match obj.get("field") {
        None => return Err(Invalid::new(&field_path, "missing: name the field to test")),
        Some(Value::String(name)) => match Field::parse(name) {
            Some(Field::Custom(n)) if n.is_empty() => {
                return Err(Invalid::new(&field_path, "\"custom.\" needs the custom field's name after the dot"))
            }
            Some(f) => f,
            None => return Err(Invalid::new(&field_path, format!("unknown field {name:?}"))),
        },
        Some(_) => return Err(Invalid::new(&field_path, "expected a field name (a string)")),
    };
    let op_path = child(path, "op");
    let op = match obj.get("op") {
        None => return Err(Invalid::new(&op_path, "missing: name the operator")),
        Some(Value::String(name)) => {
            Op::parse(name).ok_or_else(|| Invalid::new(&op_path, format!("unknown operator {name:?}")))?
        }
        Some(_) => return Err(Invalid::new(&op_path, "expected an operator name (a string)")),
    };
    let kind = field.kind();
    if !kind.ops().contains(&op) {
        let fits: Vec<&str> = kind.ops().iter().map(|o| o.name()).collect();
        return Err(Invalid::new(
            &op_path,
            format!(
                "operator {:?} does not fit {} field {:?}; use one of {}",
                op.name(),
                kind.name(),
                field.name(),
                fits.join(", ")
            ),
        ));
    }
    let value_path = child(path, "value");
    let value = operand(&field, op, obj.get("value").filter(|v| !v.is_null()), &value_path)?;
    Ok(Condition { field, op, value })
}

/// What a value must look like, for messages.
fn expected(field: &Field, op: Op) -> &'static str {
    match (field.kind(), op) {
        (_, Op::IsEmpty | Op::IsNotEmpty) => "no value",
        (Kind::Text, Op::In | Op::NotIn) => "a non-empty list of strings",
        (Kind::Text, _) => "a string",
        (Kind::Number, Op::In | Op::NotIn) if *field == Field::TotalSpent => "a non-empty list of amounts",
        (Kind::Number, Op::In | Op::NotIn) => "a non-empty list of whole numbers",
        (Kind::Number, Op::Between) => "two numbers [low, high]",
        (Kind::Number, _) if *field == Field::TotalSpent => "an amount in currency units with at most two decimals",
        (Kind::Number, _) => "a whole number",
        (Kind::Boolean, _) => "true or false",
        (Kind::Date, Op::WithinDays | Op::NotWithinDays) => "a whole number of days (0 or more)",
        (Kind::Date, Op::Between) => "two dates [from, to]",
        (Kind::Date, _) => "a date: milliseconds since 1970, \"YYYY-MM-DD\" or an RFC 3339 time",
        (Kind::Tags, _) => "a non-empty list of tag names",
    }
}

fn operand(field: &Field, op: Op, value: Option<&Value>, path: &str) -> Result<Operand, Invalid> {
    let want = expected(field, op);
    if matches!(op, Op::IsEmpty | Op::IsNotEmpty) {
        return match value {
            None => Ok(Operand::Nothing),
            Some(_) => Err(Invalid::new(path, format!("operator {:?} takes no value", op.name()))),
        };
    }
    let Some(value) = value else {
        return Err(Invalid::new(path, format!("missing: operator {:?} needs {want}", op.name())));
    };
    let wrong = || Invalid::new(path, format!("expected {want}"));
    match (field.kind(), op) {
        (Kind::Text, Op::In | Op::NotIn) => {
            let items = list(value, path, &wrong)?;
            let texts = items
                .iter()
                .enumerate()
                .map(|(i, v)| text(field, op, v, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Operand::Texts(texts))
        }
        (Kind::Text, _) => text(field, op, value, path).map(Operand::Text),
        (Kind::Number, Op::In | Op::NotIn) => {
            let items = list(value, path, &wrong)?;
            let nums = items
                .iter()
                .enumerate()
                .map(|(i, v)| number(field, v, &format!("{path}[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Operand::Ints(nums))
        }
        (Kind::Number, Op::Between) => range(value, path, &wrong, |v, p| number(field, v, p)),
        (Kind::Number, _) => number(field, value, path).map(Operand::Int),
        (Kind::Boolean, _) => value.as_bool().map(Operand::Bool).ok_or_else(wrong),
        (Kind::Date, Op::WithinDays | Op::NotWithinDays) => match whole(value) {
            Some(days) if (0..=MAX_DAYS).contains(&days) => Ok(Operand::Int(days)),
            _ => Err(Invalid::new(path, format!("expected {want}, at most {MAX_DAYS}"))),
        },
        (Kind::Date, Op::Between) => range(value, path, &wrong, date),
        (Kind::Date, _) => date(value, path).map(Operand::Int),
        (Kind::Tags, _) => {
            let items = list(value, path, &wrong)?;
            let tags = items
                .iter()
                .enumerate()
                .map(|(i, v)| match v.as_str() {
                    Some(s) if !s.trim().is_empty() => Ok(s.to_string()),
                    _ => Err(Invalid::new(&format!("{path}[{i}]"), "expected a non-empty tag name")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Operand::Texts(tags))
        }
    }
}

fn list<'v>(value: &'v Value, path: &str, wrong: &dyn Fn() -> Invalid) -> Result<&'v Vec<Value>, Invalid> {
    match value.as_array() {
        Some(items) if items.is_empty() => Err(Invalid::new(path, "empty list: give at least one value")),
        Some(items) => Ok(items),
        None => Err(wrong()),
    }
}

fn range(
    value: &Value,
    path: &str,
    wrong: &dyn Fn() -> Invalid,
    each: impl Fn(&Value, &str) -> Result<i64, Invalid>,
) -> Result<Operand, Invalid> {
    match value.as_array().map(Vec::as_slice) {
        Some([low, high]) => {
            let (low, high) = (each(low, &format!("{path}[0]"))?, each(high, &format!("{path}[1]"))?);
            if low > high {
                return Err(Invalid::new(path, "the low bound is above the high bound: swap them"));
            }
            Ok(Operand::Range(low, high))
        }
        _ => Err(wrong()),
    }
}

fn text(field: &Field, op: Op, value: &Value, path: &str) -> Result<String, Invalid> {
    let Some(s) = value.as_str() else {
        return Err(Invalid::new(path, "expected a string"));
    };
    if s.is_empty() && matches!(op, Op::Contains | Op::NotContains | Op::StartsWith | Op::EndsWith) {
        return Err(Invalid::new(path, "empty text matches everything: use is_empty or is_not_empty"));
    }
    if let Some(allowed) = field.allowed_values() {
        if matches!(op, Op::Eq | Op::Neq | Op::In | Op::NotIn) && !allowed.iter().any(|a| a.eq_ignore_ascii_case(s)) {
            return Err(Invalid::new(path, format!("unknown {} {s:?}: one of {}", field.name(), allowed.join(", "))));
        }
    }
    Ok(s.to_string())
}

/// A JSON number that is a whole number (`50` or `50.0`).
fn whole(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i64))
}

fn number(field: &Field, value: &Value, path: &str) -> Result<i64, Invalid> {
    if *field != Field::TotalSpent {
        return whole(value).ok_or_else(|| Invalid::new(path, "expected a whole number"));
    }
    let money = || Invalid::new(path, "expected an amount in currency units with at most two decimals");
    let units = value.as_f64().filter(|f| f.is_finite() && f.abs() < 9.0e13).ok_or_else(money)?;
    let cents = (units * 100.0).round();
    if (units * 100.0 - cents).abs() > 1e-6 {
        return Err(money());
    }
    Ok(cents as i64)
}

fn date(value: &Value, path: &str) -> Result<i64, Invalid> {
    let bad = || Invalid::new(path, "expected a date: milliseconds since 1970, \"YYYY-MM-DD\" or an RFC 3339 time");
    if let Some(s) = value.as_str() {
        return parse_date(s).ok_or_else(bad);
    }
    whole(value).ok_or_else(bad)
}

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time into milliseconds since the epoch.
pub fn parse_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(day.and_hms_opt(0, 0, 0)?.and_utc().timestamp_millis());
    }
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.timestamp_millis())
}

/// The first instant counted as "within `days` days" of `now`.
pub(crate) fn days_ago(now: i64, days: i64) -> i64 {
    now.saturating_sub(days.saturating_mul(DAY_MS))
}
