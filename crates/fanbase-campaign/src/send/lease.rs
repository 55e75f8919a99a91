//! The sending lease: one run at a time per campaign (the window and the CLI may both try).
//! A run renews its lease while it lives; another run takes over once it expires, or at once when
//! the holder was a process of this machine that no longer exists (Linux `/proc`).

use std::time::Duration;

use sqlx::Row as _;

use crate::{Error, Result};
use fanbase_core::Db;

/// A held lease on a campaign.
#[derive(Debug, Clone)]
pub struct Lease {
    pub campaign_id: i64,
    pub owner: String,
    pub duration: Duration,
}

/// `boot-id:pid:random`: which process of which machine boot holds the lease.
fn new_owner() -> String {
    format!("{}:{}:{:016x}", boot_id(), std::process::id(), rand::random::<u64>())
}

fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id").map(|s| s.trim().to_string()).unwrap_or_default()
}

/// True when `owner` was a process of this machine's current boot that has exited.
fn holder_is_gone(owner: &str) -> bool {
    let mut parts = owner.split(':');
    let (Some(boot), Some(pid)) = (parts.next(), parts.next()) else { return false };
    let ours = boot_id();
    !ours.is_empty()
        && boot == ours
        && pid != std::process::id().to_string()
        && pid.chars().all(|c| c.is_ascii_digit())
        && !std::path::Path::new(&format!("/proc/{pid}")).exists()
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

/// Takes the lease of campaign `campaign_id`, waiting for an abandoned one to expire. Fails with
/// `CampaignBusy` when its holder is alive and keeps renewing it.
pub async fn acquire(
    db: &Db,
    campaign_id: i64,
    name: &str,
    duration: Duration,
    now: &(dyn Fn() -> i64 + Send + Sync),
) -> Result<Lease> {
    let owner = new_owner();
    let mut seen_until: Option<i64> = None;
    loop {
        let t = now();
        let taken = sqlx::query(
            "UPDATE campaigns SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_owner = '' OR lease_until < ?)",
        )
        .bind(&owner)
        .bind(t + ms(duration))
        .bind(campaign_id)
        .bind(t)
        .execute(db.pool())
        .await?;
        if taken.rows_affected() == 1 {
            return Ok(Lease { campaign_id, owner, duration });
        }
        let row = sqlx::query("SELECT lease_owner, lease_until FROM campaigns WHERE id = ?")
            .bind(campaign_id)
            .fetch_one(db.pool())
            .await?;
        let (holder, until): (String, i64) = (row.try_get(0)?, row.try_get(1)?);
        if holder_is_gone(&holder) {
            let stolen =
                sqlx::query("UPDATE campaigns SET lease_owner = ?, lease_until = ? WHERE id = ? AND lease_owner = ?")
                    .bind(&owner)
                    .bind(t + ms(duration))
                    .bind(campaign_id)
                    .bind(&holder)
                    .execute(db.pool())
                    .await?;
            if stolen.rows_affected() == 1 {
                return Ok(Lease { campaign_id, owner, duration });
            }
            continue;
        }
        if seen_until.is_some_and(|seen| until > seen) {
            return Err(Error::CampaignBusy(name.to_string()));
        }
        seen_until = Some(until);
        let wait = (until - t + 25).clamp(10, ms(duration) + 25);
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
    }
}

impl Lease {
    /// Extends the lease; false when another run has taken it (then this run must stop).
    pub async fn renew(&self, db: &Db, now: i64) -> Result<bool> {
        let done = sqlx::query("UPDATE campaigns SET lease_until = ? WHERE id = ? AND lease_owner = ?")
            .bind(now + ms(self.duration))
            .bind(self.campaign_id)
            .bind(&self.owner)
            .execute(db.pool())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn release(&self, db: &Db) -> Result<()> {
        sqlx::query("UPDATE campaigns SET lease_owner = '', lease_until = 0 WHERE id = ? AND lease_owner = ?")
            .bind(self.campaign_id)
            .bind(&self.owner)
            .execute(db.pool())
            .await?;
        Ok(())
    }
}
