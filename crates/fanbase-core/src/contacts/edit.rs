//! Editing one contact's fields (the drawer): validated against a fixed whitelist, written locally
//! at once (offline), and recorded in the outbox with the platform's field names for sync.

use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{Row as _, SqliteConnection};

use super::changes::{self, Origin};
use super::filter::{Bind, Sql, STATUSES, TYPES};
use crate::text::normalize_email;
use crate::{stores, Db, Error, Result};

#[derive(Debug, Clone, Copy)]
enum Kind {
    Text,
    OneOf(&'static [&'static str]),
    Int,
    Bool,
    /// Currency units in JSON, integer cents in the column.
    Cents,
    Email,
}

/// An editable field: its snake_case name, column, kind and platform name (`None` = local only).
struct Editable {
    name: &'static str,
    column: &'static str,
    kind: Kind,
    platform: Option<&'static str>,
}

const FIELDS: &[Editable] = &[
    Editable { name: "email", column: "email", kind: Kind::Email, platform: Some("email") },
    Editable { name: "name", column: "name", kind: Kind::Text, platform: Some("name") },
    Editable { name: "first_name", column: "first_name", kind: Kind::Text, platform: None },
    Editable { name: "last_name", column: "last_name", kind: Kind::Text, platform: None },
    Editable { name: "type", column: "type", kind: Kind::OneOf(TYPES), platform: Some("type") },
    Editable { name: "status", column: "status", kind: Kind::OneOf(STATUSES), platform: Some("status") },
    Editable { name: "source", column: "source", kind: Kind::Text, platform: Some("source") },
    Editable { name: "score", column: "score", kind: Kind::Int, platform: Some("score") },
    Editable { name: "daw", column: "daw", kind: Kind::Text, platform: Some("daw") },
    Editable { name: "type_of_music", column: "type_of_music", kind: Kind::Text, platform: Some("typeOfMusic") },
    Editable { name: "student_level", column: "student_level", kind: Kind::Text, platform: Some("studentLevel") },
    Editable { name: "phone", column: "phone", kind: Kind::Text, platform: Some("phone") },
    Editable { name: "total_spent", column: "total_spent_cents", kind: Kind::Cents, platform: Some("totalSpent") },
    Editable { name: "opens_email", column: "opens_email", kind: Kind::Bool, platform: Some("opensEmail") },
    Editable { name: "clicks_links", column: "clicks_links", kind: Kind::Bool, platform: Some("clicksLinks") },
];

/// The names `set_fields` accepts, besides `custom.<name>` (imported custom fields, local only).
pub const EDITABLE_FIELDS: &[&str] = &[
    "email",
    "name",
    "first_name",
    "last_name",
    "type",
    "status",
    "source",
    "score",
    "daw",
    "type_of_music",
    "student_level",
    "phone",
    "total_spent",
    "opens_email",
    "clicks_links",
];

/// What an edit changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edited {
    pub id: i64,
    /// The snake_case names of the fields whose value changed (unchanged ones are left out).
    pub changed: Vec<String>,
    /// The outbox change recording it; `None` when nothing the platform knows changed.
    pub change_id: Option<String>,
}

/// Sets fields of contact `id` of the store. `fields` maps snake_case names (as in `ContactRow`,
/// e.g. `{"score": 80, "daw": "Bitwig", "custom.instrument": "piano"}`) to new values.
pub async fn set_fields(
    db: &Db,
    store_id: &str,
    id: i64,
    fields: &Map<String, Value>,
    origin: Origin,
    now: i64,
) -> Result<Edited> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut tx = db.pool().begin().await?;
    let edited = set_fields_raw(&mut tx, store_pk, id, fields, origin, now).await?;
    tx.commit().await?;
    Ok(edited)
}

/// `set_fields` inside the caller's transaction.
pub async fn set_fields_raw(
    conn: &mut SqliteConnection,
    store_pk: i64,
    id: i64,
    fields: &Map<String, Value>,
    origin: Origin,
    now: i64,
) -> Result<Edited> {
    let current = sqlx::query(
        "SELECT email, name, first_name, last_name, type, status, source, score, daw, type_of_music, student_level,
                phone, total_spent_cents, opens_email, clicks_links, custom
         FROM customers WHERE id = ? AND store_pk = ?",
    )
    .bind(id)
    .bind(store_pk)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::InvalidArgument(format!("no contact with id {id} in this store: reload the list")))?;

    let mut update = Sql::default();
    let mut changed = Vec::new();
    let mut platform_set = Map::new();
    let mut custom_patch = Map::new();
    for (name, value) in fields {
        if let Some(key) = name.strip_prefix("custom.").filter(|k| !k.is_empty()) {
            let custom: Map<String, Value> = serde_json::from_str(current.try_get("custom")?).unwrap_or_default();
            let text = custom_text(name, value)?;
            if custom.get(key) != Some(&text) {
                custom_patch.insert(key.to_string(), text);
                changed.push(name.clone());
            }
            continue;
        }
        let field = FIELDS.iter().find(|f| f.name == name).ok_or_else(|| {
            Error::InvalidArgument(format!(
                "field {name:?} cannot be edited; editable: {}, custom.<name>",
                EDITABLE_FIELDS.join(", ")
            ))
        })?;
        let (bind, platform_value) = validate(field, value)?;
        let same = match &bind {
            Bind::Int(n) => current.try_get::<i64, _>(field.column)? == *n,
            Bind::Text(s) => current.try_get::<String, _>(field.column)? == *s,
        };
        if same {
            continue;
        }
        if let Kind::Email = field.kind {
            let Bind::Text(email) = &bind else { unreachable!("emails bind as text") };
            update.push(", email_norm = ?").bind(Bind::Text(normalize_email(email)));
        }
        update.push(format!(", {} = ?", field.column)).bind(bind);
        if let Some(platform) = field.platform {
            platform_set.insert(platform.to_string(), platform_value);
        }
        changed.push(name.clone());
    }
    if changed.is_empty() {
        return Ok(Edited { id, changed, change_id: None });
    }
    if !custom_patch.is_empty() {
        update.push(", custom = json_patch(custom, ?)").bind(Bind::Text(Value::Object(custom_patch).to_string()));
    }
    let mut sql = Sql::default();
    sql.push("UPDATE customers SET updated_at = ?").bind(Bind::Int(now)).append(&update);
    sql.push(" WHERE id = ?").bind(Bind::Int(id));
    sqlx::query_with(&sql.text, sql.arguments()?).execute(&mut *conn).await.map_err(|e| match e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            Error::InvalidArgument("another contact of this store already has that email".into())
        }
        e => Error::Db(e),
    })?;
    let change_id = if platform_set.is_empty() {
        None
    } else {
        Some(changes::record_set_raw(conn, id, &platform_set, origin, now).await?)
    };
    Ok(Edited { id, changed, change_id })
}

/// Checks a value for its field: the value to store and the value to send to the platform.
fn validate(field: &Editable, value: &Value) -> Result<(Bind, Value)> {
    let bad = |want: &str| Error::InvalidArgument(format!("{} must be {want}, not {value}", field.name));
    match field.kind {
        Kind::Text => {
            let s = value.as_str().ok_or_else(|| bad("text"))?.trim().to_string();
            Ok((Bind::Text(s.clone()), Value::from(s)))
        }
        Kind::Email => {
            let s = value.as_str().ok_or_else(|| bad("text"))?.trim().to_string();
            let valid = matches!(s.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !s.chars().any(char::is_whitespace));
            if !valid {
                return Err(bad("an email address like ana@example.com"));
            }
            Ok((Bind::Text(s.clone()), Value::from(s)))
        }
        Kind::OneOf(allowed) => match value.as_str() {
            Some(s) if allowed.contains(&s) => Ok((Bind::Text(s.to_string()), Value::from(s))),
            _ => Err(bad(&format!("one of {}", allowed.join(", ")))),
        },
        Kind::Int => value.as_i64().map(|n| (Bind::Int(n), Value::from(n))).ok_or_else(|| bad("a whole number")),
        Kind::Bool => {
            value.as_bool().map(|b| (Bind::Int(b.into()), Value::from(b))).ok_or_else(|| bad("true or false"))
        }
        Kind::Cents => match value.as_f64() {
            Some(d) if d.is_finite() && d >= 0.0 => {
                let cents = (d * 100.0).round() as i64;
                Ok((Bind::Int(cents), Value::from(cents as f64 / 100.0)))
            }
            _ => Err(bad("a non-negative amount in currency units")),
        },
    }
}

/// Custom fields hold text (as imported); numbers and booleans are kept as their text.
fn custom_text(name: &str, value: &Value) -> Result<Value> {
    match value {
        Value::String(s) => Ok(Value::from(s.trim())),
        Value::Number(n) => Ok(Value::from(n.to_string())),
        Value::Bool(b) => Ok(Value::from(b.to_string())),
        _ => Err(Error::InvalidArgument(format!("{name} must be text, not {value}"))),
    }
}
