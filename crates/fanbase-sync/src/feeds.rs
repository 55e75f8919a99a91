//! Writers of the account-wide and event feeds: platform users (admins only) upserted by `_id`, and
//! engagement events stored once by `_id` and linked to the local contact (by platform id, else email).

use fanbase_core::text::normalize_email;

use crate::apply::Tx;
use crate::wire::{EngagementEvent, User};
use crate::Result;

const ROLES: [&str; 4] = ["AGENCY_OWNER", "AGENCY_ADMIN", "SUBACCOUNT_USER", "SUBACCOUNT_GUEST"];
const KINDS: [&str; 7] = ["open", "click", "bounce", "unsubscribe", "complaint", "purchase", "enrollment"];

/// Upserts users; returns how many rows were written. Records with a role outside the schema are skipped.
pub async fn apply_users_raw(tx: &mut Tx<'_>, users: &[User]) -> Result<u64> {
    let mut written = 0;
    for u in users.iter().filter(|u| ROLES.contains(&u.role.as_str())) {
        written += sqlx::query(
            "INSERT INTO users (id, clerk_id, email, email_norm, name, image_url, role, admin, stripe_connect_account_id,
                created_at, updated_at, last_sign_in_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET clerk_id = excluded.clerk_id, email = excluded.email,
                email_norm = excluded.email_norm, name = excluded.name, image_url = excluded.image_url,
                role = excluded.role, admin = excluded.admin,
                stripe_connect_account_id = excluded.stripe_connect_account_id, updated_at = excluded.updated_at,
                last_sign_in_at = excluded.last_sign_in_at
             WHERE excluded.updated_at >= users.updated_at",
        )
        .bind(&u.id)
        .bind(&u.clerk_id)
        .bind(u.email.trim())
        .bind(normalize_email(&u.email))
        .bind(&u.name)
        .bind(u.image_url.as_deref().unwrap_or(""))
        .bind(&u.role)
        .bind(u.admin)
        .bind(u.stripe_connect_account_id.as_deref().unwrap_or(""))
        .bind(if u.creation_time > 0 { u.creation_time } else { u.updated_at })
        .bind(u.updated_at)
        .bind(u.last_sign_in_at)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(written)
}

/// Stores new engagement events of `store_pk`; returns how many were new.
pub async fn apply_events_raw(tx: &mut Tx<'_>, store_pk: i64, events: &[EngagementEvent]) -> Result<u64> {
    let mut written = 0;
    for e in events.iter().filter(|e| KINDS.contains(&e.kind.as_str())) {
        let email = normalize_email(&e.email);
        written += sqlx::query(
            "INSERT INTO engagement_events (remote_id, store_pk, customer_id, email_norm, campaign_id, kind, at, url,
                amount_cents)
             VALUES (?1, ?2,
                COALESCE((SELECT id FROM customers WHERE remote_id = ?3 AND +store_pk = ?2),
                         (SELECT id FROM customers WHERE store_pk = ?2 AND email_norm = ?4)),
                ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (remote_id) DO NOTHING",
        )
        .bind(&e.id)
        .bind(store_pk)
        .bind(&e.customer_id)
        .bind(&email)
        .bind(e.campaign_id.as_deref().unwrap_or(""))
        .bind(&e.kind)
        .bind(e.at)
        .bind(e.url.as_deref().unwrap_or(""))
        .bind(e.amount.map(|a| (a * 100.0).round() as i64).unwrap_or(0))
        .execute(&mut **tx)
        .await?
        .rows_affected();
    }
    Ok(written)
}
