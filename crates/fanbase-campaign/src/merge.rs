//! Merge data: one fan's values as the templates see them. Missing values are left undefined
//! (not empty strings), so `{{ first_name | default("there") }}` falls back as authors expect.

use std::collections::BTreeMap;

use minijinja::Value;
use serde::Serialize;
use serde_json::Value as Json;

/// The merge variables a campaign may use, besides `custom.<name>`.
pub const VARIABLES: &[&str] = &[
    "first_name",
    "name",
    "email",
    "daw",
    "type_of_music",
    "student_level",
    "custom",
    "tags",
    "unsubscribe_url",
    "store_name",
    "footer_address",
];

/// The personal fields whose absence is worth a "missing merge data" warning, with how a
/// warning names them.
pub const PERSONAL: &[(&str, &str)] = &[
    ("first_name", "first name"),
    ("name", "name"),
    ("daw", "DAW"),
    ("type_of_music", "type of music"),
    ("student_level", "student level"),
];

/// One recipient's data, read from `customers` (plus its tags).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fan {
    pub customer_id: i64,
    /// The platform `_id`, when the fan has been synced.
    pub remote_id: Option<String>,
    pub email: String,
    pub name: String,
    /// The stored first name, else the first word of `name`.
    pub first_name: String,
    pub daw: String,
    pub type_of_music: String,
    pub student_level: String,
    pub status: String,
    /// Lower-cased tag names, so `"vip" in tags` matches however the tag was spelt.
    pub tags: Vec<String>,
    pub custom: serde_json::Map<String, Json>,
}

impl Fan {
    /// The value of a personal field by its merge name (`first_name`, `custom.level`, ...), if set.
    pub fn field(&self, name: &str) -> Option<String> {
        let value = match name {
            "first_name" => self.first_name.clone(),
            "name" => self.name.clone(),
            "email" => self.email.clone(),
            "daw" => self.daw.clone(),
            "type_of_music" => self.type_of_music.clone(),
            "student_level" => self.student_level.clone(),
            other => match other.strip_prefix("custom.").and_then(|k| self.custom.get(k)) {
                Some(Json::String(s)) => s.clone(),
                Some(Json::Null) | None => String::new(),
                Some(v) => v.to_string(),
            },
        };
        (!value.trim().is_empty()).then_some(value)
    }
}

/// The first name used for merging: the stored one, else the first word of the full name
/// (platform customers carry only `name`). An email address is never taken for a name.
pub fn first_name_of(first_name: &str, name: &str) -> String {
    let first = first_name.trim();
    if !first.is_empty() {
        return first.to_string();
    }
    match name.split_whitespace().next() {
        Some(word) if !word.contains('@') => word.to_string(),
        _ => String::new(),
    }
}

/// Values shared by every recipient of a campaign.
#[derive(Debug, Clone, Default)]
pub struct Shared {
    pub store_name: String,
    pub footer_address: String,
}

/// The template context for one fan.
pub fn context(fan: &Fan, unsubscribe_url: &str, shared: &Shared) -> Value {
    let mut map: BTreeMap<String, Value> = BTreeMap::new();
    let mut put = |key: &'static str, value: &str| {
        if !value.trim().is_empty() {
            map.insert(key.to_string(), Value::from(value));
        }
    };
    put("first_name", &fan.first_name);
    put("name", &fan.name);
    put("email", &fan.email);
    put("daw", &fan.daw);
    put("type_of_music", &fan.type_of_music);
    put("student_level", &fan.student_level);
    put("unsubscribe_url", unsubscribe_url);
    put("store_name", &shared.store_name);
    put("footer_address", &shared.footer_address);
    map.insert("tags".into(), Value::from_iter(fan.tags.iter().map(|t| Value::from(t.as_str()))));
    let custom: BTreeMap<String, Value> = fan
        .custom
        .iter()
        .filter(|(_, v)| !matches!(v, Json::Null) && !matches!(v, Json::String(s) if s.trim().is_empty()))
        .map(|(k, v)| (k.clone(), json_value(v)))
        .collect();
    map.insert("custom".into(), Value::from(custom));
    Value::from(map)
}

fn json_value(v: &Json) -> Value {
    match v {
        Json::Null => Value::from(()),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Value::from(i),
            (None, Some(f)) => Value::from(f),
            _ => Value::from(n.to_string()),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from_iter(items.iter().map(json_value)),
        Json::Object(o) => {
            Value::from(o.iter().map(|(k, v)| (k.clone(), json_value(v))).collect::<BTreeMap<String, Value>>())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_name_falls_back_to_the_first_word_of_the_name() {
        assert_eq!(first_name_of("", "Zoë  Müller"), "Zoë");
        assert_eq!(first_name_of(" Ana ", "Someone Else"), "Ana");
        assert_eq!(first_name_of("", "ana@example.com"), "", "an email is not a name");
        assert_eq!(first_name_of("", ""), "");
    }
}
