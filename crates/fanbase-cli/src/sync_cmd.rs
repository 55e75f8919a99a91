//! `fanbase login|logout|whoami|sync|conflicts`: sign-in and sync with the hosted platform.
//! The token is read from stdin (or FANBASE_TOKEN) and never printed.

use std::io::{IsTerminal, Read};

use clap::Subcommand;
use fanbase_core::{now_ms, Db};
use fanbase_sync::credentials::{self, ENV_DEPLOYMENT, ENV_TOKEN};
use fanbase_sync::{conflicts, Cancel, Client, Credentials, Keep, Keychain, Progress, SyncOptions, Token};
use serde_json::json;

use crate::output::{print_json_or, Failure};

#[derive(Subcommand)]
pub enum SyncCommand {
    /// Sign in to the platform: the desktop token is read from stdin, checked, and kept in the OS keychain.
    Login {
        /// The deployment URL, e.g. https://happy-otter-123.convex.cloud
        #[arg(long)]
        deployment: String,
        #[arg(long)]
        json: bool,
    },
    /// Sign out: removes the sign-in from the keychain; local data and pending changes stay.
    Logout {
        #[arg(long)]
        json: bool,
    },
    /// Show the signed-in account and its stores.
    Whoami {
        #[arg(long)]
        json: bool,
    },
    /// Run one full sync (pull, then push); prints {pulled, pushed, conflicts, rejected}.
    Sync {
        /// Only this platform store.
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// List conflicts and rejected changes, resolve a conflict, or dismiss a rejected change.
    Conflicts {
        #[command(subcommand)]
        command: ConflictsCommand,
    },
}

#[derive(Subcommand)]
pub enum ConflictsCommand {
    /// Conflicts and rejected changes, with my change, the platform's record and its message.
    List {
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Keep my change (re-sent on top of the platform's version) or theirs (my change is dropped).
    Resolve {
        id: i64,
        #[arg(long, value_name = "mine|theirs")]
        keep: String,
        #[arg(long)]
        json: bool,
    },
    /// Drop a rejected change; the contact takes the platform's version.
    Dismiss {
        id: i64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(db: &Db, command: SyncCommand) -> Result<(), Failure> {
    match command {
        SyncCommand::Login { deployment, json } => login(db, &deployment, json).await,
        SyncCommand::Logout { json } => {
            fanbase_sync::sign_out(&Keychain::os()?)?;
            let pending = fanbase_sync::status(db).await?.pending_changes;
            let env_note = credentials::from_env()?.is_some();
            let value = json!({"signedOut": true, "pendingChanges": pending, "environmentStillSet": env_note});
            print_json_or(json, &value, || {
                let mut text = format!("signed out; local data and {pending} pending changes are kept");
                if env_note {
                    text.push_str(&format!(" ({ENV_DEPLOYMENT} and {ENV_TOKEN} are still set in this environment)"));
                }
                text
            })
        }
        SyncCommand::Whoami { json } => {
            let (creds, source) = credentials::resolve(Keychain::os)?;
            let who = Client::new(&creds)?.whoami().await?;
            let mut value = serde_json::to_value(&who).unwrap_or_default();
            value["deployment"] = json!(creds.deployment);
            value["credentials"] = json!(source);
            print_json_or(json, &value, || {
                let stores: Vec<String> = who.stores.iter().map(|s| format!("{} ({})", s.name, s.store_id)).collect();
                format!(
                    "{} <{}> on {}{}\nstores: {}",
                    who.name,
                    who.email,
                    creds.deployment,
                    if who.admin { " (admin)" } else { "" },
                    if stores.is_empty() { "none".to_string() } else { stores.join(", ") }
                )
            })
        }
        SyncCommand::Sync { store, json } => sync(db, store, json).await,
        SyncCommand::Conflicts { command: ConflictsCommand::List { store, json } } => {
            let all = conflicts::list(db, store.as_deref()).await?;
            let (c, r): (Vec<_>, Vec<_>) = all.into_iter().partition(|w| w.state == "conflict");
            let value = json!({"conflicts": c, "rejected": r});
            print_json_or(json, &value, || {
                let mut lines: Vec<String> = c
                    .iter()
                    .map(|w| format!("{}\tconflict ({})\t{}\t{}", w.id, w.kind, w.email, w.message))
                    .chain(r.iter().map(|w| format!("{}\trejected\t{}\t{}", w.id, w.email, w.message)))
                    .collect();
                if lines.is_empty() {
                    lines.push("no conflicts and no rejected changes".into());
                }
                lines.join("\n")
            })
        }
        SyncCommand::Conflicts { command: ConflictsCommand::Resolve { id, keep, json } } => {
            let keep = Keep::parse(&keep)?;
            conflicts::resolve(db, id, keep, now_ms()).await?;
            let value = json!({"resolved": id, "keep": keep});
            print_json_or(json, &value, || match keep {
                Keep::Mine => format!("conflict {id}: your change is sent again with the next sync"),
                Keep::Theirs => format!("conflict {id}: the platform's version is kept, your change is dropped"),
            })
        }
        SyncCommand::Conflicts { command: ConflictsCommand::Dismiss { id, json } } => {
            conflicts::dismiss(db, id, now_ms()).await?;
            print_json_or(json, &json!({"dismissed": id}), || format!("rejected change {id} dismissed"))
        }
    }
}

async fn login(db: &Db, deployment: &str, json: bool) -> Result<(), Failure> {
    let token = read_token()?;
    let creds = Credentials::new(deployment, Token::new(token))?;
    let keychain = Keychain::os()?;
    let who = fanbase_sync::sign_in(db, &keychain, &creds, now_ms()).await?;
    let value = json!({"signedIn": true, "deployment": creds.deployment, "email": who.email, "admin": who.admin,
                       "stores": who.stores});
    print_json_or(json, &value, || {
        format!(
            "signed in to {} as {} ({} stores); the token is kept in the OS keychain",
            creds.deployment,
            who.email,
            who.stores.len()
        )
    })
}

/// The token from stdin: one line when typed at a terminal, else the whole input. Never echoed.
fn read_token() -> Result<String, Failure> {
    let stdin = std::io::stdin();
    let mut text = String::new();
    let read = if stdin.is_terminal() {
        eprint!("Paste the desktop token from the platform's settings page, then press Enter: ");
        stdin.read_line(&mut text)
    } else {
        stdin.lock().read_to_string(&mut text)
    };
    read.map_err(|e| {
        Failure::from(fanbase_core::Error::InvalidArgument(format!("could not read the token from stdin: {e}")))
    })?;
    if text.trim().is_empty() {
        return Err(Failure::from(fanbase_core::Error::InvalidArgument(
            "no token on stdin: pipe the desktop token in, e.g. `fanbase login --deployment URL < token.txt`".into(),
        )));
    }
    Ok(text)
}

async fn sync(db: &Db, store: Option<String>, json: bool) -> Result<(), Failure> {
    let (creds, _) = credentials::resolve(Keychain::os)?;
    let client = Client::new(&creds)?;
    let cancel = Cancel::new();
    let on_ctrl_c = {
        let cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                cancel.cancel();
            }
        })
    };
    let show = !json && std::io::stderr().is_terminal();
    let progress = move |p: &Progress| {
        if show {
            eprint!(
                "\r{:?} {}: {}{}   ",
                p.phase,
                p.store.as_deref().unwrap_or("account"),
                p.done,
                p.total.map(|t| format!(" / {t}")).unwrap_or_default()
            );
        }
    };
    let options = SyncOptions { store, ..SyncOptions::default() };
    let result = fanbase_sync::sync(db, &client, &options, &progress, &cancel).await;
    on_ctrl_c.abort();
    if show {
        eprintln!();
    }
    let report = result?;
    let value = json!({"pulled": report.pulled, "pushed": report.pushed, "conflicts": report.conflicts,
                       "rejected": report.rejected});
    print_json_or(json, &value, || {
        format!(
            "pulled {}, pushed {}, conflicts {}, rejected {} ({} stores, {} events, {} users)",
            report.pulled,
            report.pushed,
            report.conflicts,
            report.rejected,
            report.stores.len(),
            report.events,
            report.users
        )
    })
}
