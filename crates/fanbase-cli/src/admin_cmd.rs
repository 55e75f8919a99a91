//! `fanbase users list|show|pull|set-role` and `fanbase stats`: the platform admin's area. Lists,
//! details and stats read the local copy (works offline); pull and set-role need an admin sign-in.

use clap::{ArgAction, Args, Subcommand};
use fanbase_admin::{Admin, Role, RoleChange, RoleStatus, UserQuery, UserRow, UserSort};
use fanbase_core::{now_ms, Db};
use fanbase_sync::{credentials, no_progress, Client, Keychain};
use serde_json::json;

use crate::output::{print_json_or, Failure};

#[derive(Subcommand)]
pub enum UsersCommand {
    /// List registered users from the local copy (filled by `fanbase users pull` or an admin's `fanbase sync`).
    List {
        /// Words that must all prefix-match the name or email.
        #[arg(long, value_name = "Q")]
        search: Option<String>,
        /// owner, admin, user, guest (or AGENCY_OWNER, AGENCY_ADMIN, SUBACCOUNT_USER, SUBACCOUNT_GUEST).
        #[arg(long, value_name = "R")]
        role: Option<String>,
        /// Only users with (true) or without (false) the admin flag.
        #[arg(long, value_name = "true|false", action = ArgAction::Set)]
        admin: Option<bool>,
        /// Only users with (true) or without (false) a Stripe Connect account.
        #[arg(long, value_name = "true|false", action = ArgAction::Set)]
        stripe: Option<bool>,
        /// Only users who signed in within the last N days.
        #[arg(long, value_name = "N")]
        signed_in_within: Option<u32>,
        /// FIELD or FIELD:desc: name, email, role, admin, stripe_connected, created_at, last_sign_in_at, fan_stores.
        #[arg(long, default_value = "name")]
        sort: String,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        /// The `next` cursor printed with the previous page.
        #[arg(long)]
        after: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// One user's details and every local store where their email is a fan, with type and spend.
    Show {
        user_id: String,
        #[arg(long)]
        json: bool,
    },
    /// Pull the platform's users into the local copy (admins only).
    Pull {
        #[arg(long)]
        json: bool,
    },
    /// Change the role and/or admin flag of one user, or of several at once (per-user results).
    SetRole {
        #[arg(required = true, value_name = "USER_ID")]
        user_ids: Vec<String>,
        /// owner, admin, user, guest (or the contract's AGENCY_OWNER, ...).
        #[arg(long, value_name = "R")]
        role: Option<String>,
        /// Grant (true) or revoke (false) the platform admin flag.
        #[arg(long, value_name = "true|false", action = ArgAction::Set)]
        admin: Option<bool>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
pub struct StatsArgs {
    #[arg(long)]
    json: bool,
}

fn fail(e: fanbase_admin::Error) -> Failure {
    Failure::new(e.code(), e.to_string())
}

/// The signed-in account as an admin, or NOT_ADMIN before any admin request is made.
async fn admin() -> Result<Admin, Failure> {
    let (creds, _) = credentials::resolve(Keychain::os)?;
    Admin::sign_in(&Client::new(&creds)?).await.map_err(fail)
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn line(u: &UserRow) -> String {
    format!(
        "{}\t{}\t{}\t{}\tadmin:{}\tstripe:{}\tfan of {}",
        u.id,
        u.name,
        u.email,
        u.role.label(),
        yes_no(u.admin),
        yes_no(u.stripe_connected),
        u.fan_stores
    )
}

pub async fn users(db: &Db, command: UsersCommand) -> Result<(), Failure> {
    match command {
        UsersCommand::List { search, role, admin, stripe, signed_in_within, sort, limit, after, json } => {
            let q = UserQuery {
                search: search.unwrap_or_default(),
                role: role.as_deref().map(Role::parse).transpose().map_err(fail)?,
                admin,
                stripe_connected: stripe,
                signed_in_within_days: signed_in_within,
                sort: UserSort::parse(&sort).map_err(fail)?,
                after,
                limit,
            };
            let now = now_ms();
            let page = fanbase_admin::list(db, &q, now).await.map_err(fail)?;
            let total = fanbase_admin::count(db, &q, now).await.map_err(fail)?;
            let value = json!({"total": total, "rows": page.rows, "next": page.next});
            print_json_or(json, &value, || {
                if total == 0 {
                    return "no users match; the list is filled by `fanbase users pull` (admins)".into();
                }
                page.rows
                    .iter()
                    .map(line)
                    .chain(std::iter::once(format!("{total} users")))
                    .chain(page.next.iter().map(|n| format!("next: {n}")))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        UsersCommand::Show { user_id, json } => {
            let d = fanbase_admin::detail(db, &user_id).await.map_err(fail)?;
            print_json_or(json, &d, || {
                let mut lines = vec![line(&d.user)];
                lines.extend(d.fan_of.iter().map(|f| {
                    format!(
                        "  fan of {} ({}): {}, {}, spent {}.{:02}",
                        f.store_name,
                        f.store_id,
                        f.kind,
                        f.status,
                        f.total_spent_cents / 100,
                        f.total_spent_cents % 100
                    )
                }));
                if d.fan_of.is_empty() {
                    lines.push("  not a fan of any local store".into());
                }
                lines.join("\n")
            })
        }
        UsersCommand::Pull { json } => {
            let admin = admin().await?;
            let pulled = fanbase_admin::pull_users(db, &admin, now_ms, &no_progress).await.map_err(fail)?;
            let total = fanbase_admin::count(db, &UserQuery::default(), now_ms()).await.map_err(fail)?;
            let value = json!({"received": pulled.received, "written": pulled.written, "users": total});
            print_json_or(json, &value, || format!("pulled {} users; {total} in the local copy", pulled.received))
        }
        UsersCommand::SetRole { user_ids, role, admin: flag, json } => {
            let change = RoleChange { role: role.as_deref().map(Role::parse).transpose().map_err(fail)?, admin: flag };
            if change.role.is_none() && change.admin.is_none() {
                return Err(Failure::new("INVALID_ARGUMENT", "give --role R, --admin true|false, or both".into()));
            }
            let admin = admin().await?;
            if let [one] = user_ids.as_slice() {
                let row = fanbase_admin::set_role(db, &admin, one, change).await.map_err(fail)?;
                return print_json_or(json, &row, || format!("changed: {}", line(&row)));
            }
            let out = fanbase_admin::set_roles(db, &admin, &user_ids, change).await.map_err(fail)?;
            print_json_or(json, &out, || {
                out.results
                    .iter()
                    .map(|r| match (&r.user, r.status) {
                        (Some(u), RoleStatus::Applied) => format!("applied\t{}", line(u)),
                        _ => format!(
                            "{}\t{}\terror[{}]: {}",
                            if r.status == RoleStatus::Skipped { "skipped" } else { "refused" },
                            r.user_id,
                            r.code.as_deref().unwrap_or(""),
                            r.message.as_deref().unwrap_or("")
                        ),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })?;
            if out.applied < out.results.len() {
                return Err(Failure::new(
                    "PARTIAL",
                    format!(
                        "{} of {} changes were not applied (see the list above)",
                        out.refused + out.skipped,
                        out.results.len()
                    ),
                ));
            }
            Ok(())
        }
    }
}

pub async fn stats(db: &Db, args: StatsArgs) -> Result<(), Failure> {
    let s = fanbase_admin::stats(db, now_ms()).await.map_err(fail)?;
    print_json_or(args.json, &s, || {
        let mut lines = vec![
            format!(
                "users {}  admins {}  creators (Stripe) {}  students {}",
                s.total_users, s.admins, s.creators, s.students
            ),
            "sign-ups per week (oldest first):".into(),
        ];
        let most = s.signups_per_week.iter().map(|w| w.signups).max().unwrap_or(0).max(1);
        lines.extend(s.signups_per_week.iter().map(|w| {
            let day = utc_day(w.week_start);
            format!("  {day}  {:>4}  {}", w.signups, "#".repeat((w.signups * 40 / most) as usize))
        }));
        lines.push("fan → user conversion per store:".into());
        lines.extend(s.conversion.iter().map(|c| {
            format!("  {} ({}): {} of {} fans ({:.1}%)", c.store_name, c.store_id, c.users, c.fans, c.rate * 100.0)
        }));
        lines.join("\n")
    })
}

/// `YYYY-MM-DD` of a UTC time (civil-from-days, no calendar dependency).
fn utc_day(ms: i64) -> String {
    let z = ms.div_euclid(86_400_000) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}
