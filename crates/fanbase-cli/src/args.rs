//! The command-line grammar (clap). Forms and JSON shapes here are contracts for scripts.

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use fanbase_core::contacts::{Sort, SortField};

#[derive(Parser)]
#[command(name = "fanbase", version, about = "Fanbase: your fan list, local and fast.")]
pub struct Cli {
    /// The database file (default: $FANBASE_DB, else the OS data folder).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List or add stores.
    Stores {
        #[command(subcommand)]
        command: StoresCommand,
    },
    /// Fill a store with realistic sample fans (and a few matching users).
    Demo {
        #[arg(long)]
        store: String,
        #[arg(long)]
        rows: u64,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
    /// Count or list a store's fans.
    Contacts {
        #[command(subcommand)]
        command: ContactsCommand,
    },
}

#[derive(Subcommand)]
pub enum StoresCommand {
    List {
        #[arg(long)]
        json: bool,
    },
    Add {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Print the exact number of fans.
    Count {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
    /// Print one page of fans; pass `--after` the printed `next` cursor for the following page.
    List {
        #[arg(long)]
        store: String,
        /// FIELD or FIELD:desc, for example `score:desc`.
        #[arg(long, default_value = "email")]
        sort: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long)]
        after: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

/// Parses `FIELD[:desc|:asc]`.
pub fn parse_sort(text: &str) -> fanbase_core::Result<Sort> {
    let (field, dir) = text.split_once(':').unwrap_or((text, "asc"));
    let desc = match dir {
        "desc" => true,
        "asc" => false,
        other => {
            return Err(fanbase_core::Error::InvalidArgument(format!(
                "sort direction must be asc or desc, not {other:?}"
            )))
        }
    };
    Ok(Sort { field: SortField::parse(field)?, desc })
}
