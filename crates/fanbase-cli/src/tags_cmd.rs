//! `fanbase tags list|add|remove|rename|merge|delete|undo`: a store's tags, with exact counts, and
//! tag changes on chosen fans or on every fan a search or filter matches (recorded for sync).

use clap::{Args, Subcommand};
use fanbase_core::tags::{self, Target};
use fanbase_core::{contacts::Origin, now_ms, Db, Error};

use crate::filter_args::FilterArgs;
use crate::output::{print_json_or, Failure};

#[derive(Subcommand)]
pub enum TagsCommand {
    /// Every tag of the store with the exact number of fans that have it.
    List {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
    /// Add TAG (created if new) to the chosen fans.
    Add(ChangeArgs),
    /// Remove TAG from the chosen fans.
    Remove(ChangeArgs),
    /// Rename a tag on every fan that has it.
    Rename {
        #[arg(long)]
        store: String,
        from: String,
        to: String,
        #[arg(long)]
        json: bool,
    },
    /// Move every fan of tag FROM to tag INTO, then delete FROM.
    Merge {
        #[arg(long)]
        store: String,
        from: String,
        into: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a tag from every fan; prints the deletion id that `tags undo` takes.
    Delete {
        #[arg(long)]
        store: String,
        tag: String,
        #[arg(long)]
        json: bool,
    },
    /// Put a deleted tag back on exactly the fans that had it (the latest deletion by default).
    Undo {
        #[arg(long)]
        store: String,
        #[arg(long, value_name = "ID")]
        deletion: Option<i64>,
        #[arg(long)]
        json: bool,
    },
}

/// Which fans a tag change applies to: `--email` (repeatable), `--id` (repeatable), or everything
/// that `--search`, the filter flags and `--segment`/`--segment-name` match (`--all` for every fan).
#[derive(Args)]
pub struct ChangeArgs {
    #[arg(long)]
    store: String,
    /// The tag to add or remove.
    #[arg(value_name = "TAG")]
    name: String,
    #[arg(long, value_name = "E")]
    email: Vec<String>,
    #[arg(long, value_name = "N")]
    id: Vec<i64>,
    #[command(flatten)]
    filter: FilterArgs,
    /// Every fan of the store (when no search or filter is given).
    #[arg(long)]
    all: bool,
    #[arg(long)]
    json: bool,
}

impl ChangeArgs {
    async fn target(&self, db: &Db) -> Result<Target, Failure> {
        let chosen = [!self.email.is_empty(), !self.id.is_empty(), !self.filter.is_empty() || self.all];
        match chosen {
            [true, false, false] => Ok(Target::Emails(self.email.clone())),
            [false, true, false] => Ok(Target::Ids(self.id.clone())),
            [false, false, true] => Ok(Target::Matching(self.filter.resolve(db, &self.store).await?)),
            [false, false, false] => Err(Error::InvalidArgument(
                "say which fans: --email E, --id N, --search Q (or other filters), or --all".into(),
            )
            .into()),
            _ => {
                Err(Error::InvalidArgument("give only one of --email, --id, or a search/filter (--all)".into()).into())
            }
        }
    }
}

pub async fn run(db: &Db, command: TagsCommand) -> Result<(), Failure> {
    match command {
        TagsCommand::List { store, json } => {
            let list = tags::list(db, &store).await?;
            print_json_or(json, &list, || {
                list.iter().map(|t| format!("{}\t{}", t.count, t.name)).collect::<Vec<_>>().join("\n")
            })
        }
        TagsCommand::Add(args) => {
            let done = tags::add(db, &args.store, &args.name, &args.target(db).await?, Origin::Cli, now_ms()).await?;
            print_json_or(args.json, &done, || tagged_text("added", "to", &done))
        }
        TagsCommand::Remove(args) => {
            let done =
                tags::remove(db, &args.store, &args.name, &args.target(db).await?, Origin::Cli, now_ms()).await?;
            print_json_or(args.json, &done, || tagged_text("removed", "from", &done))
        }
        TagsCommand::Rename { store, from, to, json } => {
            let done = tags::rename(db, &store, &from, &to, Origin::Cli, now_ms()).await?;
            print_json_or(json, &done, || format!("renamed {} to {} on {} fans", done.from, done.to, done.contacts))
        }
        TagsCommand::Merge { store, from, into, json } => {
            let done = tags::merge(db, &store, &from, &into, Origin::Cli, now_ms()).await?;
            print_json_or(json, &done, || format!("merged {} into {} ({} fans)", done.from, done.to, done.contacts))
        }
        TagsCommand::Delete { store, tag, json } => {
            let done = tags::delete(db, &store, &tag, Origin::Cli, now_ms()).await?;
            print_json_or(json, &done, || {
                format!(
                    "deleted {} from {} fans; undo with `fanbase tags undo --store {store} --deletion {}`",
                    done.tag, done.contacts, done.deletion_id
                )
            })
        }
        TagsCommand::Undo { store, deletion, json } => {
            let done = tags::undo_delete(db, &store, deletion, Origin::Cli, now_ms()).await?;
            print_json_or(json, &done, || format!("restored {} on {} fans", done.tag, done.changed))
        }
    }
}

fn tagged_text(verb: &str, prep: &str, done: &tags::Tagged) -> String {
    let mut text = format!("{verb} {} {prep} {} fans", done.tag, done.changed);
    if !done.not_found.is_empty() {
        text.push_str(&format!("; not in this store: {}", done.not_found.join(", ")));
    }
    text
}
