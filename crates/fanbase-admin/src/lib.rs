//! The platform admin's area: every registered user (list, search, filters, detail), role and admin
//! flag changes through the platform, and platform stats. Plain Rust with no Tauri dependency.

pub mod access;
pub mod error;
pub mod role;
pub mod roles;
pub mod stats;
pub mod users;

pub use access::{pull_users, Admin};
pub use error::{Error, Result};
pub use role::Role;
pub use roles::{set_role, set_roles, BulkOutcome, RoleChange, RoleResult, RoleStatus};
pub use stats::{stats, Stats, StoreConversion, WeekCount};
pub use users::{count, detail, get, list, FanOf, UserDetail, UserQuery, UserRow, UserSort, UserSortField, UsersPage};
