//! The `fanbase` binary: parses arguments, opens the database, calls one domain function, prints.

mod args;
mod output;

use std::process::ExitCode;

use clap::Parser as _;
use fanbase_core::{contacts, db, demo, now_ms, stores, Db};

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
        Command::Contacts { command: ContactsCommand::Count { store, json } } => {
            let count = contacts::count(db, &store).await?;
            print_json_or(json, &serde_json::json!({ "count": count }), || count.to_string())
        }
        Command::Contacts { command: ContactsCommand::List { store, sort, limit, after, json } } => {
            let req = contacts::PageRequest { sort: args::parse_sort(&sort)?, after, limit, ..Default::default() };
            let page = contacts::page(db, &store, &req).await?;
            let value = serde_json::json!({ "rows": page.rows, "next": page.next });
            print_json_or(json, &value, || {
                page.rows
                    .iter()
                    .map(|r| format!("{}\t{}\t{}\t{}", r.email, r.name, r.kind, r.score))
                    .chain(page.next.iter().map(|n| format!("next: {n}")))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}
