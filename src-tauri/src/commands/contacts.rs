//! Contacts, stores and sample data commands: take the state, call one domain function, map the error.

use fanbase_core::contacts::{self, Contact, Conversion, Edited, Origin, Page, PageRequest, Sort};
use fanbase_core::stores::{self, Store};
use fanbase_core::{demo, now_ms, Db};
use serde_json::{Map, Value};
use tauri::State;

use crate::commands::segments::ViewFilter;
use crate::ipc_error::IpcResult;

#[tauri::command]
pub async fn stores_list(db: State<'_, Db>) -> IpcResult<Vec<Store>> {
    Ok(stores::list(&db).await?)
}

#[tauri::command]
pub async fn stores_add(db: State<'_, Db>, id: String, name: String) -> IpcResult<Store> {
    Ok(stores::add(&db, &id, &name, now_ms()).await?)
}

/// The exact number of the store's fans, or of the rows `filter` shows (search, filters, users,
/// and a saved segment when the filter names one).
#[tauri::command]
pub async fn contacts_count(db: State<'_, Db>, store_id: String, filter: Option<ViewFilter>) -> IpcResult<i64> {
    Ok(match filter {
        None => contacts::count(&db, &store_id).await?,
        Some(f) => contacts::count_matching(&db, &store_id, &f.resolve(&db, &store_id).await?).await?,
    })
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
    filter: Option<ViewFilter>,
    cursors_only: Option<bool>,
    offset: Option<u64>,
) -> IpcResult<Page> {
    let req = PageRequest {
        sort: sort.unwrap_or_default(),
        after,
        before,
        from_end: from_end.unwrap_or(false),
        limit,
        cursors_only: cursors_only.unwrap_or(false),
        offset,
    };
    let filter = filter.unwrap_or_default().resolve(&db, &store_id).await?;
    Ok(contacts::page_matching(&db, &store_id, &filter, &req).await?)
}

/// The store header's conversion rate: fans with a platform account ÷ fans.
#[tauri::command]
pub async fn contacts_conversion(db: State<'_, Db>, store_id: String) -> IpcResult<Conversion> {
    Ok(contacts::conversion(&db, &store_id).await?)
}

/// One contact with every field (the drawer); `None` when no fan of the store has this email.
#[tauri::command]
pub async fn contact_show(db: State<'_, Db>, store_id: String, email: String) -> IpcResult<Option<Contact>> {
    Ok(contacts::show(&db, &store_id, &email).await?)
}

/// Edits fields of one contact (snake_case names, `custom.<name>` for custom fields); recorded for sync.
#[tauri::command]
pub async fn contact_set_fields(
    db: State<'_, Db>,
    store_id: String,
    id: i64,
    fields: Map<String, Value>,
) -> IpcResult<Edited> {
    Ok(contacts::set_fields(&db, &store_id, id, &fields, Origin::Ui, now_ms()).await?)
}

#[tauri::command]
pub async fn demo_load(db: State<'_, Db>, store_id: String, rows: u64) -> IpcResult<u64> {
    Ok(demo::fill(&db, &store_id, rows, now_ms() as u64, now_ms()).await?.fans)
}
