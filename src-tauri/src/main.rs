//! The desktop entry point: opens the database once, registers the commands, runs the window.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod ipc_error;

fn main() {
    let path = fanbase_core::db::default_path();
    let db = tauri::async_runtime::block_on(fanbase_core::Db::open(&path)).unwrap_or_else(|e| {
        eprintln!("Fanbase cannot start: {e}");
        std::process::exit(1);
    });
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(db)
        .invoke_handler(tauri::generate_handler![
            commands::stores_list,
            commands::stores_add,
            commands::contacts_count,
            commands::contacts_page,
            commands::demo_load,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running the Fanbase window");
}
