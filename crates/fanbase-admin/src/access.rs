//! Who may use the admin area: an [`Admin`] exists only for an account whose `whoami.admin` is true,
//! so every platform call of this crate is refused locally for anyone else before any request is
//! made. The platform checks again on its side (FORBIDDEN) whatever this layer believes.

use fanbase_core::Db;
use fanbase_sync::pull::{pull, Pulled, Target, MAX_PAGE};
use fanbase_sync::state::Feed;
use fanbase_sync::wire::Whoami;
use fanbase_sync::{Client, OnProgress};

use crate::{Error, Result};

/// A platform client of an account the platform reported as an admin.
#[derive(Debug, Clone)]
pub struct Admin {
    client: Client,
    who: Whoami,
}

impl Admin {
    /// Asks the platform who the token belongs to (`desktop:whoami`); `NotAdmin` unless an admin.
    pub async fn sign_in(client: &Client) -> Result<Admin> {
        let who = client.whoami().await?;
        Admin::from_whoami(client.clone(), who)
    }

    /// From a `whoami` answer the caller already holds (the window keeps it from sign-in); no request.
    pub fn from_whoami(client: Client, who: Whoami) -> Result<Admin> {
        if !who.admin {
            return Err(Error::NotAdmin(who.email));
        }
        Ok(Admin { client, who })
    }

    pub fn whoami(&self) -> &Whoami {
        &self.who
    }

    pub fn client(&self) -> &Client {
        &self.client
    }
}

/// Pulls the platform's users (`desktop:pullUsers`) into the local `users` table, resuming from the
/// saved watermark like every sync feed (fanbase-sync's pull loop). Returns what was pulled.
pub async fn pull_users(db: &Db, admin: &Admin, clock: fn() -> i64, progress: OnProgress<'_>) -> Result<Pulled> {
    let target = Target { feed: Feed::Users, store_id: None, store_pk: 0 };
    Ok(pull(db, &admin.client, &target, MAX_PAGE, clock, progress).await?)
}
