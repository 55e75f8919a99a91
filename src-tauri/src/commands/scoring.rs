//! Lead-scoring commands: the store's rules (list, add or replace, delete), the event kinds a rule
//! can score, and a full recompute. Thin adapters over `fanbase_segments::scoring`.

use fanbase_core::{now_ms, Db};
use fanbase_segments::engagement::KINDS;
use fanbase_segments::scoring::{self, Recomputed, Rule};
use serde_json::Value;
use tauri::State;

use crate::ipc_error::IpcResult;

/// The store's rules in their JSON form: `{name, event | condition, points, expires_days?}`.
#[tauri::command]
pub async fn scoring_rules(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<Rule>> {
    Ok(scoring::list_rules(&db, &store_id).await?)
}

/// The event kinds an event rule can score (`open`, `click`, …).
#[tauri::command]
pub fn scoring_event_kinds() -> Vec<&'static str> {
    KINDS.iter().map(|k| k.name()).collect()
}

/// Adds the rule, or replaces the rule of the same name. An invalid rule fails with `RULE_INVALID`
/// and the path inside the rule (`condition.all[0].op: …`).
#[tauri::command]
pub async fn scoring_rule_set(db: State<'_, Db>, store_id: String, rule: Value) -> IpcResult<Rule> {
    let rule = Rule::from_json(&rule).map_err(fanbase_segments::Error::InvalidRule)?;
    Ok(scoring::set_rule(&db, &store_id, &rule, now_ms()).await?)
}

#[tauri::command]
pub async fn scoring_rule_delete(db: State<'_, Db>, store_id: String, name: String) -> IpcResult<()> {
    Ok(scoring::delete_rule(&db, &store_id, &name).await?)
}

/// Recomputes every fan's score in the store from the rules and the events.
#[tauri::command]
pub async fn scoring_recompute(db: State<'_, Db>, store_id: String) -> IpcResult<Recomputed> {
    Ok(scoring::recompute(&db, &store_id, now_ms()).await?)
}
