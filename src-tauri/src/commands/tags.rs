//! Tag commands: the tag list with counts, add/remove on chosen or matching contacts, rename,
//! merge, delete and undo. Each is a thin adapter over `fanbase_core::tags`; edits come from the UI.

use fanbase_core::contacts::Origin;
use fanbase_core::tags::{self, Deleted, Renamed, TagCount, Tagged};
use fanbase_core::{now_ms, Db};
use tauri::State;

use crate::commands::segments::ViewTarget;
use crate::ipc_error::IpcResult;

#[tauri::command]
pub async fn tags_list(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<TagCount>> {
    Ok(tags::list(&db, &store_id).await?)
}

/// Adds `tag` to `target`: `{"ids": [..]}`, `{"emails": [..]}` or `{"matching": ContactFilter}`
/// (the filter may name a saved segment: `{"matching": {"segment": "VIP"}}`).
#[tauri::command]
pub async fn tags_add(db: State<'_, Db>, store_id: String, tag: String, target: ViewTarget) -> IpcResult<Tagged> {
    let target = target.resolve(&db, &store_id).await?;
    Ok(tags::add(&db, &store_id, &tag, &target, Origin::Ui, now_ms()).await?)
}

#[tauri::command]
pub async fn tags_remove(db: State<'_, Db>, store_id: String, tag: String, target: ViewTarget) -> IpcResult<Tagged> {
    let target = target.resolve(&db, &store_id).await?;
    Ok(tags::remove(&db, &store_id, &tag, &target, Origin::Ui, now_ms()).await?)
}

#[tauri::command]
pub async fn tags_rename(db: State<'_, Db>, store_id: String, from: String, to: String) -> IpcResult<Renamed> {
    Ok(tags::rename(&db, &store_id, &from, &to, Origin::Ui, now_ms()).await?)
}

#[tauri::command]
pub async fn tags_merge(db: State<'_, Db>, store_id: String, from: String, into: String) -> IpcResult<Renamed> {
    Ok(tags::merge(&db, &store_id, &from, &into, Origin::Ui, now_ms()).await?)
}

#[tauri::command]
pub async fn tags_delete(db: State<'_, Db>, store_id: String, tag: String) -> IpcResult<Deleted> {
    Ok(tags::delete(&db, &store_id, &tag, Origin::Ui, now_ms()).await?)
}

/// Undoes a deletion (the store's latest when `deletion_id` is absent).
#[tauri::command]
pub async fn tags_undo_delete(db: State<'_, Db>, store_id: String, deletion_id: Option<i64>) -> IpcResult<Tagged> {
    Ok(tags::undo_delete(&db, &store_id, deletion_id, Origin::Ui, now_ms()).await?)
}
