//! `fanbase segments|score|engagement ...` and `--segment FILE.json | --segment-name NAME` for
//! commands that take a list of contacts: thin adapters over `fanbase-segments`.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use fanbase_core::{now_ms, Db};
use fanbase_segments::scoring::{self, Rule};
use fanbase_segments::{engagement, saved, Segment};
use serde_json::{json, Value};

use crate::output::{print_json_or, say, Failure};

impl From<fanbase_segments::Error> for Failure {
    fn from(e: fanbase_segments::Error) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

#[derive(Subcommand)]
pub enum SegmentsCommand {
    /// Save a segment (JSON file, `-` for stdin) under a name; --replace overwrites one of that name.
    Save {
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        #[arg(long)]
        replace: bool,
        #[arg(long)]
        json: bool,
    },
    /// List the built-in and saved segments, with their exact counts unless --no-counts.
    List {
        #[arg(long)]
        store: String,
        #[arg(long)]
        no_counts: bool,
        #[arg(long)]
        json: bool,
    },
    /// Print a segment's definition and its exact count.
    Show {
        #[arg(long)]
        store: String,
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Delete a saved segment (built-in ones stay).
    Delete {
        #[arg(long)]
        store: String,
        name: String,
    },
    /// The fields a segment can test, with their operators (and the store's custom fields).
    Fields {
        #[arg(long)]
        store: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum ScoreCommand {
    /// Recompute every contact's score from the store's rules and events.
    Recompute {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
    /// List, set or delete the store's scoring rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand)]
pub enum RulesCommand {
    List {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
    /// Add a rule or replace the one of that name, then recompute scores (unless --no-recompute).
    Set {
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        /// Points for each event of this kind: open, click, bounce, unsubscribe, complaint, purchase, enrollment.
        #[arg(long, conflicts_with_all = ["condition", "condition_file"])]
        event: Option<String>,
        /// Points while a contact matches this segment JSON.
        #[arg(long, conflicts_with = "condition_file")]
        condition: Option<String>,
        /// Like --condition, from a segment JSON file.
        #[arg(long, value_name = "FILE.json")]
        condition_file: Option<PathBuf>,
        /// Points given (negative to take away).
        #[arg(long, allow_hyphen_values = true)]
        points: i64,
        /// Event rules: an event's points stop counting this many days after it.
        #[arg(long)]
        expires_days: Option<i64>,
        #[arg(long)]
        no_recompute: bool,
        #[arg(long)]
        json: bool,
    },
    /// Delete a rule, then recompute scores (unless --no-recompute).
    Delete {
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        no_recompute: bool,
    },
}

#[derive(Subcommand)]
pub enum EngagementCommand {
    /// Import a CSV of events (email,kind,at[,amount,url,campaign_id,id]); re-importing adds nothing twice.
    Import {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
}

fn read(path: &Path) -> Result<String, Failure> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).map_err(|e| Failure::new("STDIN", e.to_string()))?;
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| Failure::new("FILE", format!("cannot read {}: {e}", path.display())))
}

/// A segment JSON file, with the file named in errors.
pub fn segment_file(path: &Path) -> Result<Segment, Failure> {
    let label = if path == Path::new("-") { "stdin".to_string() } else { path.display().to_string() };
    Segment::from_json_str(&read(path)?).map_err(|e| Failure::new("SEGMENT_INVALID", format!("{label}: {e}")))
}

/// The segment `--segment FILE.json` or `--segment-name NAME` gives, if either.
pub async fn segment_arg(
    db: &Db,
    store: &str,
    file: Option<&Path>,
    name: Option<&str>,
) -> Result<Option<Segment>, Failure> {
    match (file, name) {
        (Some(_), Some(_)) => {
            Err(Failure::new("INVALID_ARGUMENT", "give --segment or --segment-name, not both".into()))
        }
        (Some(path), None) => Ok(Some(segment_file(path)?)),
        (None, Some(name)) => Ok(Some(saved::find(db, store, name).await?.segment)),
        (None, None) => Ok(None),
    }
}

pub async fn segments(db: &Db, command: SegmentsCommand) -> Result<(), Failure> {
    match command {
        SegmentsCommand::Save { store, name, file, replace, json } => {
            let segment = segment_file(&file)?;
            let now = now_ms();
            let saved = saved::save(db, &store, &name, &segment, replace, now).await?;
            let count = fanbase_segments::count(db, &store, &saved.segment, now).await?;
            print_json_or(json, &json!({"segment": saved, "count": count}), || {
                format!("saved segment {:?} ({count} fans now)", saved.name)
            })
        }
        SegmentsCommand::List { store, no_counts, json } => {
            if no_counts {
                let list = saved::list(db, &store).await?;
                return print_json_or(json, &list, || {
                    list.iter()
                        .map(|s| format!("{}{}", s.name, if s.builtin { "\t(built-in)" } else { "" }))
                        .collect::<Vec<_>>()
                        .join("\n")
                });
            }
            let list = saved::list_counted(db, &store, now_ms()).await?;
            print_json_or(json, &list, || {
                list.iter()
                    .map(|c| {
                        format!("{}\t{}{}", c.saved.name, c.count, if c.saved.builtin { "\t(built-in)" } else { "" })
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        SegmentsCommand::Show { store, name, json } => {
            let found = saved::find(db, &store, &name).await?;
            let count = fanbase_segments::count(db, &store, &found.segment, now_ms()).await?;
            let value = json!({"segment": found, "count": count});
            print_json_or(json, &value, || {
                let pretty = serde_json::to_string_pretty(&found.segment).unwrap_or_default();
                format!("{}{}\n{count} fans\n{pretty}", found.name, if found.builtin { " (built-in)" } else { "" })
            })
        }
        SegmentsCommand::Delete { store, name } => {
            saved::delete(db, &store, &name).await?;
            say(&format!("deleted segment {name:?}"))
        }
        SegmentsCommand::Fields { store, json } => {
            let custom = match &store {
                Some(store) => fanbase_segments::custom_field_names(db, store).await?,
                None => Vec::new(),
            };
            let fields = fanbase_segments::catalog(&custom);
            print_json_or(json, &fields, || {
                fields
                    .iter()
                    .map(|f| format!("{}\t{}\t{}", f.field, f.kind.name(), f.ops.join(" ")))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

pub async fn score(db: &Db, command: ScoreCommand) -> Result<(), Failure> {
    match command {
        ScoreCommand::Recompute { store, json } => recompute(db, &store, json).await,
        ScoreCommand::Rules { command: RulesCommand::List { store, json } } => {
            let rules = scoring::list_rules(db, &store).await?;
            print_json_or(json, &rules, || rules.iter().map(describe).collect::<Vec<_>>().join("\n"))
        }
        ScoreCommand::Rules {
            command:
                RulesCommand::Set {
                    store,
                    name,
                    event,
                    condition,
                    condition_file,
                    points,
                    expires_days,
                    no_recompute,
                    json,
                },
        } => {
            let mut rule = json!({"name": name, "points": points, "expires_days": expires_days});
            match (event, condition, condition_file) {
                (Some(kind), _, _) => rule["event"] = Value::from(kind),
                (None, Some(text), _) => rule["condition"] = parse_json(&text, "--condition")?,
                (None, None, Some(path)) => rule["condition"] = parse_json(&read(&path)?, &path.display().to_string())?,
                (None, None, None) => {
                    return Err(Failure::new(
                        "INVALID_ARGUMENT",
                        "give --event KIND, --condition JSON or --condition-file FILE".into(),
                    ))
                }
            }
            let rule = Rule::from_json(&rule).map_err(fanbase_segments::Error::InvalidRule)?;
            let rule = scoring::set_rule(db, &store, &rule, now_ms()).await?;
            if no_recompute {
                return print_json_or(json, &rule, || {
                    format!("set rule {}\nscores change on the next `fanbase score recompute`", describe(&rule))
                });
            }
            let done = scoring::recompute(db, &store, now_ms()).await?;
            print_json_or(json, &json!({"rule": rule, "recomputed": done}), || {
                format!("set rule {}\nrecomputed {} scores ({} changed)", describe(&rule), done.contacts, done.changed)
            })
        }
        ScoreCommand::Rules { command: RulesCommand::Delete { store, name, no_recompute } } => {
            scoring::delete_rule(db, &store, &name).await?;
            say(&format!("deleted rule {name:?}"))?;
            if no_recompute {
                return Ok(());
            }
            recompute(db, &store, false).await
        }
    }
}

async fn recompute(db: &Db, store: &str, json: bool) -> Result<(), Failure> {
    let done = scoring::recompute(db, store, now_ms()).await?;
    print_json_or(json, &done, || format!("recomputed {} scores ({} changed)", done.contacts, done.changed))
}

fn parse_json(text: &str, label: &str) -> Result<Value, Failure> {
    serde_json::from_str(text).map_err(|e| Failure::new("RULE_INVALID", format!("{label}: not valid JSON: {e}")))
}

fn describe(rule: &Rule) -> String {
    let what = match &rule.trigger {
        scoring::Trigger::Event(kind) => format!("each {}", kind.name()),
        scoring::Trigger::Condition(segment) => format!("while {}", segment.to_json()),
    };
    let expiry = rule.expires_days.map(|d| format!(", expires after {d} days")).unwrap_or_default();
    format!("{}\t{:+} {what}{expiry}", rule.name, rule.points)
}

pub async fn engagement(db: &Db, command: EngagementCommand) -> Result<(), Failure> {
    let EngagementCommand::Import { file, store, json } = command;
    let done = engagement::import_csv(db, &store, &file, now_ms()).await?;
    print_json_or(json, &done, || {
        format!(
            "{} lines: {} new events, {} already imported; applied {} to {} contacts (scores updated); {} wait for a contact with their email",
            done.rows, done.new, done.duplicates, done.applied.events, done.applied.contacts, done.applied.unmatched
        )
    })
}
