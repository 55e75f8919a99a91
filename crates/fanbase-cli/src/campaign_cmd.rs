//! `fanbase smtp …` and `fanbase campaign …`: SMTP settings, and campaigns previewed, tested and
//! sent from a campaign JSON file (a send resumes when run again).

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Subcommand};
use fanbase_campaign::send::{self, outbox, SendControl, SendOptions};
use fanbase_campaign::smtp::settings;
use fanbase_campaign::{
    drafts, Campaign, NoPlatform, Pick, PlatformLinks, SmtpAccount, SmtpSettings, TestMessage, TlsMode,
    UnsubscribeLinks,
};
use fanbase_core::{now_ms, Db};

use crate::output::{print_json_or, Failure};

#[derive(Subcommand)]
pub enum SmtpCommand {
    /// Save the SMTP account. The password is read from stdin (first line) into the OS keychain,
    /// unless FANBASE_SMTP_PASSWORD is set (then nothing is read or stored).
    Set {
        #[arg(long)]
        host: String,
        #[arg(long)]
        port: u16,
        /// implicit (TLS from the start, port 465), starttls (required, port 587) or none (local tests only).
        #[arg(long, value_name = "implicit|starttls|none")]
        tls: String,
        /// The login; omit for a server without authentication.
        #[arg(long, default_value = "")]
        user: String,
        /// A PEM root certificate to trust as well (test servers with their own CA).
        #[arg(long, value_name = "PEM")]
        ca_file: Option<PathBuf>,
        /// Unsubscribe link when the platform issues none: {email}, {customer_id}, {store} are replaced.
        #[arg(long, value_name = "URL")]
        unsubscribe_url: Option<String>,
        /// Address that receives mailto unsubscribe requests (default: the campaign's sender).
        #[arg(long, value_name = "EMAIL")]
        unsubscribe_mailto: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Print the SMTP settings (never the password).
    Show {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct CampaignFile {
    #[arg(long)]
    pub store: String,
    /// The campaign JSON: name, subject, preheader, body_markdown | body_html, body_text,
    /// from_name, from_email, reply_to, footer_address, segment | segment_name, template.
    #[arg(long, value_name = "FILE.json")]
    pub campaign: PathBuf,
    /// Send to this segment instead of the file's choice (a segment JSON file, `-` for stdin).
    #[arg(long, value_name = "FILE.json", conflicts_with = "segment_name")]
    pub segment: Option<PathBuf>,
    /// Send to this saved or built-in segment instead of the file's choice.
    #[arg(long, value_name = "NAME")]
    pub segment_name: Option<String>,
}

#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Print what one recipient gets (subject, preheader, text, HTML), the recipient count and the warnings.
    Preview {
        #[command(flatten)]
        file: CampaignFile,
        /// The recipient to render as (default: the first by email).
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send one test message, rendered as a recipient, to any address.
    Test {
        #[command(flatten)]
        file: CampaignFile,
        #[arg(long, value_name = "EMAIL")]
        to: String,
        #[arg(long = "as", value_name = "EMAIL")]
        as_email: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Send to every recipient with the SMTP settings. Run it again to resume after any stop.
    Send {
        #[command(flatten)]
        file: CampaignFile,
        /// Messages per second.
        #[arg(long, default_value_t = 10.0)]
        rate: f64,
        /// SMTP connections used in parallel.
        #[arg(long, default_value_t = 4)]
        connections: usize,
        /// Also send again to recipients whose outcome is unknown (the connection was lost after
        /// their message was written): they may get it twice.
        #[arg(long)]
        retry_unknown: bool,
        #[arg(long)]
        json: bool,
    },
    /// Save the campaign file as a draft.
    Save {
        #[command(flatten)]
        file: CampaignFile,
        #[arg(long)]
        json: bool,
    },
    /// List the store's campaigns with their state.
    List {
        #[arg(long)]
        store: String,
        #[arg(long)]
        json: bool,
    },
    /// Print a campaign's outbox: counts per state, and every recipient not sent with the reason.
    Status {
        #[arg(long)]
        store: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        json: bool,
    },
}

pub async fn smtp(db: &Db, command: SmtpCommand) -> Result<(), Failure> {
    match command {
        SmtpCommand::Set { host, port, tls, user, ca_file, unsubscribe_url, unsubscribe_mailto, json } => {
            let ca_pem = match ca_file {
                Some(path) => read(&path)?,
                None => String::new(),
            };
            let s = SmtpSettings {
                host,
                port,
                tls: TlsMode::parse(&tls)?,
                username: user,
                ca_pem,
                unsubscribe_url_template: unsubscribe_url.unwrap_or_default(),
                unsubscribe_mailto: unsubscribe_mailto.unwrap_or_default(),
            };
            s.validate()?;
            let from_env = std::env::var_os(settings::PASSWORD_ENV).is_some_and(|p| !p.is_empty());
            let password = if s.username.is_empty() {
                "none (no user)"
            } else if from_env {
                "from FANBASE_SMTP_PASSWORD"
            } else {
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line).map_err(|e| Failure::new("STDIN", e.to_string()))?;
                let password = line.trim_end_matches(['\r', '\n']);
                if password.is_empty() {
                    return Err(Failure::new(
                        "SMTP_PASSWORD_MISSING",
                        "give the password on stdin (or set FANBASE_SMTP_PASSWORD)".into(),
                    ));
                }
                settings::store_password(&s, password)?;
                "stored in the OS keychain"
            };
            settings::save(db, &s, now_ms()).await?;
            let value = serde_json::json!({ "host": s.host, "port": s.port, "tls": s.tls, "user": s.username,
                "ca": !s.ca_pem.is_empty(), "password": password });
            print_json_or(json, &value, || format!("saved SMTP settings for {}; password {password}", s.account()))
        }
        SmtpCommand::Show { json } => {
            let s = settings::load(db).await?.ok_or(fanbase_campaign::Error::SmtpNotConfigured)?;
            let value = serde_json::json!({ "host": s.host, "port": s.port, "tls": s.tls, "user": s.username,
                "ca": !s.ca_pem.is_empty(), "unsubscribe_url": s.unsubscribe_url_template,
                "unsubscribe_mailto": s.unsubscribe_mailto });
            print_json_or(json, &value, || {
                format!(
                    "{} ({}){}",
                    s.account(),
                    s.tls.as_str(),
                    if s.ca_pem.is_empty() { "" } else { ", extra CA trusted" }
                )
            })
        }
    }
}

pub async fn campaign(db: &Db, command: CampaignCommand) -> Result<(), Failure> {
    match command {
        CampaignCommand::Preview { file, as_email, json } => {
            let c = load_with(&file)?;
            let pick = as_email.map_or(Pick::First, Pick::Email);
            let s = settings::load(db).await?;
            let links = links(false);
            let p = fanbase_campaign::preview(db, &file.store, &c, &pick, links.as_ref(), s.as_ref(), now_ms()).await?;
            print_json_or(json, &p, || {
                let mut out = vec![
                    format!(
                        "recipients: {} ({} suppressed left out: {} unsubscribed, {} bounced, {} complained)",
                        p.counts.recipients,
                        p.counts.suppressed,
                        p.counts.unsubscribed,
                        p.counts.bounced,
                        p.counts.complained
                    ),
                    format!(
                        "as: {}",
                        p.fan.as_ref().map_or("a sample fan (no recipient)".to_string(), |f| f.email.clone())
                    ),
                    format!("subject: {}", p.rendered.subject),
                    format!("preheader: {}", p.rendered.preheader),
                    format!("unsubscribe: {}", p.unsubscribe_url),
                ];
                out.push(String::from("warnings:"));
                if p.warnings.is_empty() {
                    out.push("  none".into());
                }
                for w in &p.warnings {
                    out.push(format!("  {}{}: {}", if w.blocking { "BLOCKING " } else { "" }, w.code, w.message));
                }
                out.push(format!("can send: {}", if p.can_send { "yes" } else { "no" }));
                out.push(format!("--- text ---\n{}", p.rendered.text));
                out.push(format!("--- html ---\n{}", p.rendered.html));
                out.join("\n")
            })
        }
        CampaignCommand::Test { file, to, as_email, json } => {
            let c = load_with(&file)?;
            let pick = as_email.map_or(Pick::First, Pick::Email);
            let account = SmtpAccount::load(db).await?;
            let test = TestMessage { to, rendered_as: pick };
            let links = links(false);
            let sent =
                fanbase_campaign::send_test(db, &file.store, &c, &test, &account, links.as_ref(), now_ms()).await?;
            print_json_or(json, &sent, || {
                format!(
                    "sent a test to {} as {} ({}): {}",
                    sent.to,
                    sent.rendered_as.as_deref().unwrap_or("a sample fan"),
                    sent.message_id,
                    sent.reply
                )
            })
        }
        CampaignCommand::Send { file, rate, connections, retry_unknown, json } => {
            let c = load_with(&file)?;
            let account = SmtpAccount::load(db).await?;
            let links = links(true);
            let started = send::start(db, &file.store, &c, links.as_ref(), Some(&account.settings), now_ms()).await?;
            if !started.resumed {
                eprintln!("queued {} recipients ({} suppressed left out)", started.queued, started.counts.suppressed);
            } else {
                eprintln!("resuming campaign {:?}", c.name);
            }
            if retry_unknown {
                let n = outbox::requeue_unknown(db, started.campaign_id, now_ms()).await?;
                eprintln!("queued again {n} recipients whose outcome was unknown");
            }
            let options = SendOptions { rate, connections, ..SendOptions::default() };
            let control = SendControl::new();
            let reporter = tokio::spawn(report_progress(control.clone()));
            let interrupt = control.clone();
            let ctrl_c = tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    eprintln!("stopping after the messages in flight; run the same command again to resume");
                    interrupt.stop();
                }
            });
            let result = send::run(db, started.campaign_id, &account, &options, &control).await;
            reporter.abort();
            ctrl_c.abort();
            let summary = result?;
            print_json_or(json, &summary, || {
                format!(
                    "{:?}: {} sent, {} failed, {} skipped, {} still queued (of {}){}",
                    summary.phase,
                    summary.tally.sent,
                    summary.tally.failed,
                    summary.tally.skipped,
                    summary.tally.queued,
                    summary.tally.total,
                    if summary.interrupted > 0 {
                        format!(
                            "; {} interrupted mid-transaction were not resent (see `campaign status`)",
                            summary.interrupted
                        )
                    } else {
                        String::new()
                    }
                )
            })
        }
        CampaignCommand::Save { file, json } => {
            let c = load_with(&file)?;
            let id = drafts::save(db, &file.store, &c, now_ms()).await?;
            print_json_or(json, &serde_json::json!({ "id": id, "name": c.name }), || {
                format!("saved draft {:?}", c.name)
            })
        }
        CampaignCommand::List { store, json } => {
            let list = drafts::list(db, &store).await?;
            let rows: Vec<_> = list
                .iter()
                .map(|s| serde_json::json!({ "id": s.id, "name": s.campaign.name, "state": s.state, "updated_at": s.updated_at }))
                .collect();
            print_json_or(json, &rows, || {
                list.iter()
                    .map(|s| format!("{}\t{}\t{}", s.id, s.state, s.campaign.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        CampaignCommand::Status { store, name, json } => {
            let saved = drafts::get(db, &store, &name).await?;
            let tally = outbox::tally(db, saved.id).await?;
            let not_sent: Vec<_> = outbox::rows(db, saved.id)
                .await?
                .into_iter()
                .filter(|r| r.state == "failed" || r.state == "skipped")
                .collect();
            let value = serde_json::json!({ "name": name, "state": saved.state, "tally": tally, "not_sent": not_sent });
            print_json_or(json, &value, || {
                let mut out = vec![format!(
                    "{}: {} — {} sent, {} failed, {} skipped, {} queued, {} sending (of {})",
                    name,
                    saved.state,
                    tally.sent,
                    tally.failed,
                    tally.skipped,
                    tally.queued,
                    tally.sending,
                    tally.total
                )];
                out.extend(not_sent.iter().map(|r| format!("{}\t{}\t{}", r.state, r.email, r.smtp_reply)));
                out.join("\n")
            })
        }
    }
}

/// The platform's one-click unsubscribe links when signed in (FANBASE_DEPLOYMENT/FANBASE_TOKEN or
/// the keychain), else the SMTP settings' fallback. `strict`: a send fails rather than fall back.
fn links(strict: bool) -> Box<dyn UnsubscribeLinks> {
    match PlatformLinks::signed_in(strict) {
        Some(p) => Box::new(p),
        None => Box::new(NoPlatform),
    }
}

/// Prints a progress line on stderr once a second while sending.
async fn report_progress(control: SendControl) {
    let mut last = String::new();
    loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let p = control.progress();
        let line = format!(
            "{:?}: {}/{} sent, {} failed, {} skipped{}",
            p.phase,
            p.tally.sent,
            p.tally.total,
            p.tally.failed,
            p.tally.skipped,
            if p.note.is_empty() { String::new() } else { format!(" — {}", p.note) }
        );
        if line != last {
            eprintln!("{line}");
            last = line;
        }
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::new("FILE", format!("cannot read {}: {e}", path.display())))
}

/// The campaign file with `--segment` / `--segment-name` (if given) as its recipients choice.
fn load_with(file: &CampaignFile) -> Result<Campaign, Failure> {
    let mut c = load(&file.campaign)?;
    if let Some(path) = &file.segment {
        let segment = crate::segments_cmd::segment_file(path)?;
        (c.segment, c.segment_name) = (Some(segment.to_json()), None);
    } else if let Some(name) = &file.segment_name {
        (c.segment, c.segment_name) = (None, Some(name.clone()));
    }
    Ok(c)
}

fn load(path: &Path) -> Result<Campaign, Failure> {
    let text = read(path)?;
    Campaign::from_json(&text).map_err(|e| Failure::new(e.code(), format!("{}: {e}", path.display())))
}
