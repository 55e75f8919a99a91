//! The `fanbase` binary: parses arguments, opens the database, calls one domain function, prints.

mod admin_cmd;
mod args;
mod campaign_cmd;
mod contacts_cmd;
mod filter_args;
mod import_cmd;
mod output;
mod segments_cmd;
mod sync_cmd;
mod tags_cmd;

use std::process::ExitCode;

use clap::Parser as _;
use fanbase_core::{db, demo, now_ms, stores, Db};

use args::{Cli, Command, ContactsCommand, StoresCommand};
use output::{print_json_or, Failure};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let path = cli.db.unwrap_or_else(db::default_path);
    let db = Db::open(&path).await?;
    let result = dispatch(&db, cli.command).await;
    db.close().await;
    result
}

async fn dispatch(db: &Db, command: Command) -> Result<(), Failure> {
    match command {
        Command::Stores { command: StoresCommand::List { json } } => {
            let list = stores::list(db).await?;
            print_json_or(json, &list, || {
                list.iter().map(|s| format!("{}\t{}\t{} fans", s.id, s.name, s.contacts)).collect::<Vec<_>>().join("\n")
            })
        }
        Command::Stores { command: StoresCommand::Add { id, name, json } } => {
            let store = stores::add(db, &id, &name, now_ms()).await?;
            print_json_or(json, &store, || format!("added store {} ({})", store.id, store.name))
        }
        Command::Demo { store, rows, seed, json } => {
            let filled = demo::fill(db, &store, rows, seed, now_ms()).await?;
            let value = serde_json::json!({"fans": filled.fans, "users": filled.users});
            print_json_or(json, &value, || {
                format!("added {} sample fans and {} users to {store}", filled.fans, filled.users)
            })
        }
        Command::Segments { command } => segments_cmd::segments(db, command).await,
        Command::Score { command } => segments_cmd::score(db, command).await,
        Command::Engagement { command } => segments_cmd::engagement(db, command).await,
        Command::Users { command } => admin_cmd::users(db, command).await,
        Command::Stats(args) => admin_cmd::stats(db, args).await,
        Command::Smtp { command } => campaign_cmd::smtp(db, command).await,
        Command::Campaign { command } => campaign_cmd::campaign(db, command).await,
        Command::Import(args) => import_cmd::import(db, args).await,
        Command::Sync(command) => sync_cmd::run(db, command).await,
        Command::Export { store, out, segment, segment_name } => {
            let segment = segments_cmd::segment_arg(db, &store, segment.as_deref(), segment_name.as_deref()).await?;
            let condition = segment.map(|s| fanbase_segments::contacts::fan_condition(&s, now_ms()));
            import_cmd::export(db, &store, out, condition.as_ref()).await
        }
        Command::Contacts { command: ContactsCommand::Show { store, email, json } } => {
            import_cmd::show(db, &store, &email, json).await
        }
        Command::Contacts { command: ContactsCommand::Count { store, json, filter } } => {
            contacts_cmd::count(db, &store, &filter, json).await
        }
        Command::Contacts { command: ContactsCommand::List { store, sort, limit, after, offset, filter, json } } => {
            contacts_cmd::list(db, &store, &sort, limit, (after, offset), &filter, json).await
        }
        Command::Contacts { command: ContactsCommand::Set(args) } => contacts_cmd::set(db, args).await,
        Command::Contacts { command: ContactsCommand::Conversion { store, json } } => {
            contacts_cmd::conversion(db, &store, json).await
        }
        Command::Tags { command } => tags_cmd::run(db, command).await,
    }
}
