//! Sign-in and sign-out: check the deployment and token with `desktop:whoami`, then keep them in
//! the keychain; sign-out removes them and keeps every local row and pending change.

use fanbase_core::Db;

use crate::client::Client;
use crate::credentials::{Credentials, Keychain};
use crate::retry::RetryPolicy;
use crate::run::remember_stores;
use crate::wire::Whoami;
use crate::Result;

/// Checks `credentials` against the platform, stores them in `keychain` and makes the account's
/// stores known locally. Nothing is stored when the platform refuses.
pub async fn sign_in(db: &Db, keychain: &Keychain, credentials: &Credentials, now: i64) -> Result<Whoami> {
    sign_in_with(db, keychain, credentials, RetryPolicy::default(), now).await
}

/// [`sign_in`] with its own retry bounds (a sign-in screen gives up on a wrong URL in seconds).
pub async fn sign_in_with(
    db: &Db,
    keychain: &Keychain,
    credentials: &Credentials,
    policy: RetryPolicy,
    now: i64,
) -> Result<Whoami> {
    let who = Client::with_policy(credentials, policy)?.whoami().await?;
    keychain.save(credentials)?;
    remember_stores(db, &who, now).await?;
    Ok(who)
}

/// Removes the sign-in from the keychain. Local data and the outbox stay.
pub fn sign_out(keychain: &Keychain) -> Result<()> {
    keychain.delete()
}
