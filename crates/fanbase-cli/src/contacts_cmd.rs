//! `fanbase contacts list|count|set|conversion`: pages and exact counts of a store's fans under a
//! search and filters, field edits (recorded for sync), and the store's fan → account conversion.

use clap::Args;
use fanbase_core::contacts::{self, Origin, PageRequest};
use fanbase_core::{now_ms, Db, Error};
use serde_json::{Map, Value};

use crate::filter_args::FilterArgs;
use crate::output::{print_json_or, Failure};

/// `contacts list`: one page; `--json` prints `{"rows": [...], "next": CURSOR | null}`.
pub async fn list(
    db: &Db,
    store: &str,
    sort: &str,
    limit: u32,
    (after, offset): (Option<String>, Option<u64>),
    filter: &FilterArgs,
    json: bool,
) -> Result<(), Failure> {
    let req = PageRequest { sort: crate::args::parse_sort(sort)?, after, offset, limit, ..Default::default() };
    let page = contacts::page_matching(db, store, &filter.resolve(db, store).await?, &req).await?;
    let value = serde_json::json!({ "rows": page.rows, "next": page.next });
    print_json_or(json, &value, || {
        page.rows
            .iter()
            .map(|r| format!("{}\t{}\t{}\t{}\t{}", r.email, r.name, r.kind, r.score, r.tags.join(",")))
            .chain(page.next.iter().map(|n| format!("next: {n}")))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// `contacts count`: the exact count; `--json` prints `{"count": N}`.
pub async fn count(db: &Db, store: &str, filter: &FilterArgs, json: bool) -> Result<(), Failure> {
    let count = contacts::count_matching(db, store, &filter.resolve(db, store).await?).await?;
    print_json_or(json, &serde_json::json!({ "count": count }), || count.to_string())
}

/// `contacts set --store S (--email E | --id N) FIELD=VALUE...`
#[derive(Args)]
pub struct SetArgs {
    #[arg(long)]
    store: String,
    #[arg(long, value_name = "E", conflicts_with = "id", required_unless_present = "id")]
    email: Option<String>,
    #[arg(long, value_name = "N")]
    id: Option<i64>,
    /// FIELD=VALUE pairs: a JSON value (`score=80`, `opens_email=true`) or else text
    /// (`daw=Bitwig`); `custom.NAME=...` sets an imported custom field.
    #[arg(required = true, value_name = "FIELD=VALUE")]
    fields: Vec<String>,
    #[arg(long)]
    json: bool,
}

pub async fn set(db: &Db, args: SetArgs) -> Result<(), Failure> {
    let mut fields = Map::new();
    for pair in &args.fields {
        let (name, text) = pair
            .split_once('=')
            .ok_or_else(|| Error::InvalidArgument(format!("{pair:?} is not FIELD=VALUE, e.g. score=80")))?;
        let value = match serde_json::from_str::<Value>(text) {
            Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::String(_))) if !name.starts_with("custom.") => v,
            _ => Value::String(text.to_string()),
        };
        fields.insert(name.to_string(), value);
    }
    let id = match (args.id, &args.email) {
        (Some(id), _) => id,
        (None, Some(email)) => contacts::id_by_email(db, &args.store, email).await?,
        (None, None) => unreachable!("clap requires --email or --id"),
    };
    let edited = contacts::set_fields(db, &args.store, id, &fields, Origin::Cli, now_ms()).await?;
    print_json_or(args.json, &edited, || match &edited.change_id {
        Some(change) => format!("changed {} (recorded for sync as {change})", edited.changed.join(", ")),
        None if edited.changed.is_empty() => "nothing changed".to_string(),
        None => format!("changed {} (local fields, not synced)", edited.changed.join(", ")),
    })
}

/// `contacts conversion`: `{"fans", "with_account", "rate"}`.
pub async fn conversion(db: &Db, store: &str, json: bool) -> Result<(), Failure> {
    let c = contacts::conversion(db, store).await?;
    print_json_or(json, &c, || {
        format!("{} of {} fans have an account ({:.1}%)", c.with_account, c.fans, c.rate * 100.0)
    })
}
