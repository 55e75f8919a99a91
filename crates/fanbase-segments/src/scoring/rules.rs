//! Scoring rules: an event kind or a segment condition, plus points (±), and for event rules an
//! optional expiry in days. JSON form: `{"name", "event" | "condition", "points", "expires_days"?}`.

use fanbase_core::{stores, Db};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};
use sqlx::SqliteConnection;

use crate::definition::Segment;
use crate::engagement::{EventKind, KINDS};
use crate::field::Field;
use crate::parse::Invalid;
use crate::{Error, Result};

/// What a rule scores.
#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    /// Points for every event of this kind the contact has.
    Event(EventKind),
    /// Points while the contact matches this segment.
    Condition(Segment),
}

/// A scoring rule of a store. Names are unique per store (case-insensitively).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: String,
    pub trigger: Trigger,
    pub points: i64,
    /// Event rules only: an event's points stop counting this many days after the event.
    pub expires_days: Option<i64>,
}

impl Rule {
    /// Parses and validates a rule's JSON; an error names the path inside the rule.
    pub fn from_json(value: &Value) -> Result<Rule, Invalid> {
        let Some(obj) = value.as_object() else {
            return Err(Invalid::new(
                "",
                "expected a rule object with \"name\", \"event\" or \"condition\", and \"points\"",
            ));
        };
        if let Some(extra) =
            obj.keys().find(|k| !["name", "event", "condition", "points", "expires_days"].contains(&k.as_str()))
        {
            return Err(Invalid::new(extra, format!("unknown key {extra:?} in a rule")));
        }
        let name = match obj.get("name").and_then(Value::as_str).map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => return Err(Invalid::new("name", "expected a non-empty name")),
        };
        let trigger = trigger(obj)?;
        let points = obj
            .get("points")
            .and_then(Value::as_i64)
            .ok_or_else(|| Invalid::new("points", "expected a whole number of points (negative to take away)"))?;
        let expires_days = match obj.get("expires_days") {
            None | Some(Value::Null) => None,
            Some(v) => match v.as_i64() {
                Some(d) if d > 0 && d <= 100_000 => Some(d),
                _ => return Err(Invalid::new("expires_days", "expected a whole number of days, 1 or more")),
            },
        };
        if expires_days.is_some() && matches!(trigger, Trigger::Condition(_)) {
            return Err(Invalid::new(
                "expires_days",
                "only event rules expire: a condition rule counts while the contact matches",
            ));
        }
        Ok(Rule { name, trigger, points, expires_days })
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({"name": self.name, "points": self.points});
        match &self.trigger {
            Trigger::Event(kind) => v["event"] = json!(kind.name()),
            Trigger::Condition(segment) => v["condition"] = segment.to_json(),
        }
        if let Some(days) = self.expires_days {
            v["expires_days"] = json!(days);
        }
        v
    }
}

fn trigger(obj: &Map<String, Value>) -> Result<Trigger, Invalid> {
    match (obj.get("event"), obj.get("condition")) {
        (Some(_), Some(_)) => Err(Invalid::new("condition", "give either \"event\" or \"condition\", not both")),
        (None, None) => Err(Invalid::new("event", "missing: give an event kind or a condition")),
        (Some(kind), None) => {
            let names: Vec<&str> = KINDS.iter().map(|k| k.name()).collect();
            kind.as_str()
                .and_then(EventKind::parse)
                .map(Trigger::Event)
                .ok_or_else(|| Invalid::new("event", format!("unknown event kind {kind}: one of {}", names.join(", "))))
        }
        (None, Some(condition)) => {
            let segment = Segment::from_json(condition).map_err(|e| e.under("condition"))?;
            if let Some((path, _)) = segment.conditions().into_iter().find(|(_, c)| *c.field() == Field::Score) {
                return Err(Invalid::new(
                    "field",
                    "a scoring rule cannot test \"score\": the score is what the rules compute",
                )
                .under(&path)
                .under("condition"));
            }
            Ok(Trigger::Condition(segment))
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// The store's rules, in the order they were made.
pub async fn list_rules(db: &Db, store_id: &str) -> Result<Vec<Rule>> {
    let store_pk = stores::pk(db, store_id).await?;
    let mut conn = db.pool().acquire().await?;
    list_rules_raw(&mut conn, store_pk).await
}

/// [`list_rules`] on the caller's connection or transaction.
pub async fn list_rules_raw(conn: &mut SqliteConnection, store_pk: i64) -> Result<Vec<Rule>> {
    /// name, event_kind, condition, points, expires_days
    type Row = (String, Option<String>, Option<String>, i64, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT name, event_kind, condition, points, expires_days FROM scoring_rules WHERE store_pk = ? ORDER BY id",
    )
    .bind(store_pk)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(name, event, condition, points, expires_days)| {
            let mut v = json!({"name": name, "points": points, "expires_days": expires_days});
            match (event, condition) {
                (Some(kind), _) => v["event"] = json!(kind),
                (None, Some(text)) => {
                    v["condition"] = serde_json::from_str(&text).map_err(|e| {
                        Error::InvalidRule(Invalid::new("condition", format!("stored JSON is broken: {e}")))
                    })?
                }
                (None, None) => {}
            }
            Rule::from_json(&v).map_err(|e| Error::InvalidRule(e.under(&format!("rule {name:?}"))))
        })
        .collect()
}

/// Adds the rule, or replaces the store's rule of the same name. Scores change only on the next
/// recompute (or the next event of a contact): call [`super::recompute`] after editing rules.
pub async fn set_rule(db: &Db, store_id: &str, rule: &Rule, now: i64) -> Result<Rule> {
    let store_pk = stores::pk(db, store_id).await?;
    let (event, condition) = match &rule.trigger {
        Trigger::Event(kind) => (Some(kind.name()), None),
        Trigger::Condition(segment) => (None, Some(segment.to_json().to_string())),
    };
    sqlx::query(
        "INSERT INTO scoring_rules (store_pk, name, name_norm, event_kind, condition, points, expires_days, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (store_pk, name_norm) DO UPDATE SET name = excluded.name, event_kind = excluded.event_kind,
         condition = excluded.condition, points = excluded.points, expires_days = excluded.expires_days,
         updated_at = excluded.updated_at",
    )
    .bind(store_pk)
    .bind(rule.name.trim())
    .bind(rule.name.trim().to_lowercase())
    .bind(event)
    .bind(condition)
    .bind(rule.points)
    .bind(rule.expires_days)
    .bind(now)
    .execute(db.pool())
    .await?;
    Ok(rule.clone())
}

/// Deletes the store's rule of that name.
pub async fn delete_rule(db: &Db, store_id: &str, name: &str) -> Result<()> {
    let store_pk = stores::pk(db, store_id).await?;
    let done = sqlx::query("DELETE FROM scoring_rules WHERE store_pk = ? AND name_norm = ?")
        .bind(store_pk)
        .bind(name.trim().to_lowercase())
        .execute(db.pool())
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::RuleNotFound { store: store_id.to_string(), name: name.trim().to_string() });
    }
    Ok(())
}
