//! Segments commands: the live exact count of a segment being built, saved segments, the field
//! catalog for the builder, and the contacts view (and bulk tags) restricted to a saved segment.
//! Thin adapters over `fanbase_segments`; the window sends segment JSON or a name, never SQL.

use fanbase_core::contacts::ContactFilter;
use fanbase_core::tags::Target;
use fanbase_core::{now_ms, Db};
use fanbase_segments::saved::{self, Counted, Saved};
use fanbase_segments::{FieldSpec, Segment};
use serde::Deserialize;
use serde_json::Value;
use tauri::State;

use crate::ipc_error::IpcResult;

/// The contacts view's filter as the window sends it: the usual filter plus, optionally, the name
/// of a saved or built-in segment whose fans only are shown (`{"search": "a", "segment": "VIP"}`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ViewFilter {
    #[serde(flatten)]
    pub filter: ContactFilter,
    #[serde(default)]
    pub segment: Option<String>,
}

impl ViewFilter {
    /// The domain filter, restricted to the named segment when there is one.
    pub async fn resolve(self, db: &Db, store_id: &str) -> IpcResult<ContactFilter> {
        match self.segment {
            None => Ok(self.filter),
            Some(name) => {
                let found = saved::find(db, store_id, &name).await?;
                Ok(fanbase_segments::contacts::within(self.filter, &found.segment, now_ms()))
            }
        }
    }
}

/// A bulk tag target whose `matching` filter may name a segment (see [`ViewFilter`]).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // one short-lived value per bulk change
pub enum ViewTarget {
    Ids(Vec<i64>),
    Emails(Vec<String>),
    Matching(ViewFilter),
}

impl ViewTarget {
    pub async fn resolve(self, db: &Db, store_id: &str) -> IpcResult<Target> {
        Ok(match self {
            ViewTarget::Ids(ids) => Target::Ids(ids),
            ViewTarget::Emails(emails) => Target::Emails(emails),
            ViewTarget::Matching(view) => Target::Matching(view.resolve(db, store_id).await?),
        })
    }
}

fn parse(definition: &Value) -> IpcResult<Segment> {
    Segment::from_json(definition).map_err(|e| fanbase_segments::Error::from(e).into())
}

/// Validates segment JSON and returns its exact count in the store now. An invalid segment fails
/// with code `SEGMENT_INVALID` and a message that starts with the bad node's path.
#[tauri::command]
pub async fn segments_count(db: State<'_, Db>, store_id: String, definition: Value) -> IpcResult<i64> {
    let segment = parse(&definition)?;
    Ok(fanbase_segments::count(&db, &store_id, &segment, now_ms()).await?)
}

/// The builder's field picker: every field with its kind, operators and (for enumerations) values,
/// then the store's custom fields.
#[tauri::command]
pub async fn segments_fields(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<FieldSpec>> {
    let custom = fanbase_segments::custom_field_names(&db, &store_id).await?;
    Ok(fanbase_segments::catalog(&custom))
}

/// The built-in and saved segments of the store, each with its exact count.
#[tauri::command]
pub async fn segments_list(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<Counted>> {
    Ok(saved::list_counted(&db, &store_id, now_ms()).await?)
}

#[tauri::command]
pub async fn segments_show(db: State<'_, Db>, store_id: String, name: String) -> IpcResult<Saved> {
    Ok(saved::find(&db, &store_id, &name).await?)
}

/// Saves the segment under `name`; an existing name fails with `SEGMENT_EXISTS` unless `replace`.
#[tauri::command]
pub async fn segments_save(
    db: State<'_, Db>,
    store_id: String,
    name: String,
    definition: Value,
    replace: bool,
) -> IpcResult<Saved> {
    let segment = parse(&definition)?;
    Ok(saved::save(&db, &store_id, &name, &segment, replace, now_ms()).await?)
}

#[tauri::command]
pub async fn segments_delete(db: State<'_, Db>, store_id: String, name: String) -> IpcResult<()> {
    Ok(saved::delete(&db, &store_id, &name).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_view_filter_reads_the_contacts_filter_and_a_segment_name() {
        let view: ViewFilter =
            serde_json::from_value(json!({"search": "ma", "type": ["lead"], "segment": "VIP fans"})).unwrap();
        assert_eq!(view.filter.search.as_deref(), Some("ma"));
        assert_eq!(view.filter.kind, ["lead"]);
        assert_eq!(view.segment.as_deref(), Some("VIP fans"));
        assert_eq!(view.filter.condition, None, "SQL never comes from the window");
        let target: ViewTarget = serde_json::from_value(json!({"matching": {"segment": "VIP fans"}})).unwrap();
        assert!(matches!(target, ViewTarget::Matching(ViewFilter { segment: Some(_), .. })));
    }
}
