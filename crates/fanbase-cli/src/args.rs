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
    /// Import a CSV export of fans (ActiveCampaign, Mailchimp, Kit, Mautic, listmonk or any sheet).
    Import(crate::import_cmd::ImportArgs),
    /// Write a store's fans as CSV (to stdout, or --out FILE) that `import` reads back losslessly.
    Export {
        #[arg(long)]
        store: String,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only the fans of this segment (a segment JSON file, `-` for stdin).
        #[arg(long, value_name = "FILE.json", conflicts_with = "segment_name")]
        segment: Option<PathBuf>,
        /// Only the fans of this saved or built-in segment.
        #[arg(long, value_name = "NAME")]
        segment_name: Option<String>,
    },
    /// Sign in to the hosted platform, sync, and settle conflicts (login, logout, whoami, sync, conflicts).
    #[command(flatten)]
    Sync(crate::sync_cmd::SyncCommand),
    /// The SMTP account campaigns are sent with (the password goes to the OS keychain).
    Smtp {
        #[command(subcommand)]
        command: crate::campaign_cmd::SmtpCommand,
    },
    /// Preview, test and send campaigns from a campaign JSON file; a send resumes when run again.
    Campaign {
        #[command(subcommand)]
        command: crate::campaign_cmd::CampaignCommand,
    },
    /// Count or list a store's fans.
    Contacts {
        #[command(subcommand)]
        command: ContactsCommand,
    },
    /// A store's tags: list with counts, add/remove on fans, rename, merge, delete and undo.
    Tags {
        #[command(subcommand)]
        command: crate::tags_cmd::TagsCommand,
    },
    /// Named segments per store (nested all/any/none conditions): save, list, show, delete, fields.
    Segments {
        #[command(subcommand)]
        command: crate::segments_cmd::SegmentsCommand,
    },
    /// Lead scores: recompute them, and list, set or delete the scoring rules.
    Score {
        #[command(subcommand)]
        command: crate::segments_cmd::ScoreCommand,
    },
    /// Engagement events (opens, clicks, purchases...): import a CSV.
    Engagement {
        #[command(subcommand)]
        command: crate::segments_cmd::EngagementCommand,
    },
    /// Platform users (admins): list, show, pull, and change roles or the admin flag.
    Users {
        #[command(subcommand)]
        command: crate::admin_cmd::UsersCommand,
    },
    /// Platform stats (admins): users, creators, students, weekly sign-ups, fan → user conversion.
    Stats(crate::admin_cmd::StatsArgs),
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
    /// Print one fan with all its fields, custom fields and tags.
    Show {
        #[arg(long)]
        store: String,
        email: String,
        #[arg(long)]
        json: bool,
    },
    /// Print the exact number of fans.
    Count {
        #[arg(long)]
        store: String,
        #[command(flatten)]
        filter: crate::filter_args::FilterArgs,
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
        /// Start at this position of the unfiltered list (0 = the first fan) instead of a cursor.
        #[arg(long, conflicts_with = "after")]
        offset: Option<u64>,
        #[command(flatten)]
        filter: crate::filter_args::FilterArgs,
        #[arg(long)]
        json: bool,
    },
    /// Edit fields of one fan (FIELD=VALUE...); each edit is recorded for sync.
    Set(crate::contacts_cmd::SetArgs),
    /// The share of the store's fans that have a platform account.
    Conversion {
        #[arg(long)]
        store: String,
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
