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
        .manage(commands::import::ImportJobs::default())
        .manage(commands::campaigns::CampaignSends::default())
        .manage(commands::sync::SyncSession::default())
        .invoke_handler(tauri::generate_handler![
            commands::contacts::stores_list,
            commands::contacts::stores_add,
            commands::contacts::contacts_count,
            commands::contacts::contacts_page,
            commands::contacts::demo_load,
            commands::import::import_e2e_enabled,
            commands::import::import_targets,
            commands::import::import_inspect,
            commands::import::import_headers,
            commands::import::import_run,
            commands::import::import_cancel,
            commands::import::import_save_rejected,
            commands::contacts::contacts_conversion,
            commands::contacts::contact_show,
            commands::contacts::contact_set_fields,
            commands::tags::tags_list,
            commands::tags::tags_add,
            commands::tags::tags_remove,
            commands::tags::tags_rename,
            commands::tags::tags_merge,
            commands::tags::tags_delete,
            commands::tags::tags_undo_delete,
            // segments (builder, live counts, saved segments)
            commands::segments::segments_count,
            commands::segments::segments_fields,
            commands::segments::segments_list,
            commands::segments::segments_show,
            commands::segments::segments_save,
            commands::segments::segments_delete,
            // lead scoring rules (commands/scoring.rs)
            commands::scoring::scoring_rules,
            commands::scoring::scoring_event_kinds,
            commands::scoring::scoring_rule_set,
            commands::scoring::scoring_rule_delete,
            commands::scoring::scoring_recompute,
            // admin: platform users, roles, stats (commands/admin.rs)
            commands::admin::admin_access,
            commands::admin::admin_users_pull,
            commands::admin::admin_users_count,
            commands::admin::admin_users_page,
            commands::admin::admin_user_detail,
            commands::admin::admin_role_effects,
            commands::admin::admin_set_role,
            commands::admin::admin_set_roles,
            commands::admin::admin_stats,
            // campaigns
            commands::campaigns::campaign_templates,
            commands::campaigns::campaign_list,
            commands::campaigns::campaign_save,
            commands::campaigns::campaign_delete,
            commands::campaigns::campaign_segments,
            commands::campaigns::campaign_counts,
            commands::campaigns::campaign_preview,
            commands::campaigns::smtp_settings_get,
            commands::campaigns::smtp_settings_save,
            commands::campaigns::campaign_send_test,
            commands::campaigns::campaign_send,
            commands::campaigns::campaign_send_control,
            // sync: sign-in, sync runs with progress, status bar, conflicts
            commands::sync::sync_session,
            commands::sync::sync_sign_in,
            commands::sync::sync_sign_out,
            commands::sync::sync_run,
            commands::sync::sync_cancel,
            commands::sync::sync_status,
            commands::sync::sync_conflicts,
            commands::sync::sync_resolve,
            commands::sync::sync_dismiss,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"))
        .expect("error while running the Fanbase window");
}
