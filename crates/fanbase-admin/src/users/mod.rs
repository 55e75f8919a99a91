//! Registered platform users as the admin's table shows them (local `users` table, pulled by an
//! admin): search over name and email, filters, sorts, keyset pages, and one user's detail.

mod detail;
mod page;
mod query;

pub use detail::{detail, get, FanOf, UserDetail};
pub use page::{count, list, UsersPage, MAX_PAGE};
pub use query::{UserQuery, UserSort, UserSortField};

use serde::Serialize;

use crate::role::Role;

/// One user as the admin's table shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UserRow {
    /// The platform `_id`.
    pub id: String,
    /// Opaque keyset cursor of this row under the sort that produced it.
    pub cursor: String,
    pub email: String,
    pub name: String,
    /// '' when the user has no picture.
    pub image_url: String,
    pub role: Role,
    /// The platform admin flag (separate from the AGENCY_ADMIN role).
    pub admin: bool,
    /// True when `stripeConnectAccountId` is set: the user can sell.
    pub stripe_connected: bool,
    /// '' when not connected.
    pub stripe_connect_account_id: String,
    /// Sign-up time (platform `_creationTime`), ms since the epoch.
    pub created_at: i64,
    /// `None` when the user never signed in.
    pub last_sign_in_at: Option<i64>,
    /// How many local stores have a fan with this user's email.
    pub fan_stores: i64,
}
