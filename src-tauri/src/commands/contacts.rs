//! Tauri commands: thin adapters that take the state, call one domain function and map the error.

use fanbase_core::contacts::{self, Page, PageRequest, Sort};
use fanbase_core::stores::{self, Store};
use fanbase_core::{demo, now_ms, Db};
use tauri::State;

use crate::ipc_error::IpcResult;

#[tauri::command]
pub async fn stores_list(db: State<'_, Db>) -> IpcResult<Vec<Store>> {
    Ok(stores::list(&db).await?)
}

#[tauri::command]
pub async fn stores_add(db: State<'_, Db>, id: String, name: String) -> IpcResult<Store> {
    Ok(stores::add(&db, &id, &name, now_ms()).await?)
}

#[tauri::command]
pub async fn contacts_count(db: State<'_, Db>, store_id: String) -> IpcResult<i64> {
    Ok(contacts::count(&db, &store_id).await?)
}

#[tauri::command]
#[allow(clippy::too_many_arguments)]
pub async fn contacts_page(
    db: State<'_, Db>,
    store_id: String,
    after: Option<String>,
    before: Option<String>,
    from_end: Option<bool>,
    limit: u32,
    sort: Option<Sort>,
) -> IpcResult<Page> {
    let req = PageRequest { sort: sort.unwrap_or_default(), after, before, from_end: from_end.unwrap_or(false), limit };
    Ok(contacts::page(&db, &store_id, &req).await?)
}

#[tauri::command]
pub async fn demo_load(db: State<'_, Db>, store_id: String, rows: u64) -> IpcResult<u64> {
    Ok(demo::fill(&db, &store_id, rows, now_ms() as u64, now_ms()).await?.fans)
}
