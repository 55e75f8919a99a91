//! Platform roles: the contract's values (AGENCY_OWNER, ...) and the friendly names the CLI and the
//! window use (owner, admin, user, guest). The admin *flag* is separate from the AGENCY_ADMIN role.

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A user's role on the platform (contract v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    AgencyOwner,
    AgencyAdmin,
    SubaccountUser,
    SubaccountGuest,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::AgencyOwner, Role::AgencyAdmin, Role::SubaccountUser, Role::SubaccountGuest];

    /// The contract's value, as stored in `users.role`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::AgencyOwner => "AGENCY_OWNER",
            Role::AgencyAdmin => "AGENCY_ADMIN",
            Role::SubaccountUser => "SUBACCOUNT_USER",
            Role::SubaccountGuest => "SUBACCOUNT_GUEST",
        }
    }

    /// The name shown to people: Owner, Admin, User, Guest.
    pub fn label(self) -> &'static str {
        match self {
            Role::AgencyOwner => "Owner",
            Role::AgencyAdmin => "Admin",
            Role::SubaccountUser => "User",
            Role::SubaccountGuest => "Guest",
        }
    }

    /// Accepts the contract's value or the friendly name, in any case: `AGENCY_OWNER`/`owner`,
    /// `AGENCY_ADMIN`/`admin`, `SUBACCOUNT_USER`/`user`, `SUBACCOUNT_GUEST`/`guest`.
    pub fn parse(text: &str) -> Result<Role> {
        let t = text.trim();
        Role::ALL
            .into_iter()
            .find(|r| t.eq_ignore_ascii_case(r.as_str()) || t.eq_ignore_ascii_case(r.label()))
            .ok_or_else(|| {
                Error::InvalidArgument(format!(
                    "unknown role {t:?}: use owner, admin, user or guest (or AGENCY_OWNER, AGENCY_ADMIN, \
                     SUBACCOUNT_USER, SUBACCOUNT_GUEST)"
                ))
            })
    }

    /// The role of a stored `users.role` value.
    pub(crate) fn from_stored(text: &str) -> Result<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .ok_or_else(|| Error::InvalidArgument(format!("the local copy holds an unknown role {text:?}")))
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_and_friendly_names_parse() {
        assert_eq!(Role::parse("AGENCY_OWNER").unwrap(), Role::AgencyOwner);
        assert_eq!(Role::parse("owner").unwrap(), Role::AgencyOwner, "friendly name");
        assert_eq!(Role::parse(" Admin ").unwrap(), Role::AgencyAdmin, "case and spaces are ignored");
        assert_eq!(Role::parse("subaccount_user").unwrap(), Role::SubaccountUser);
        assert_eq!(Role::parse("guest").unwrap(), Role::SubaccountGuest);
        let err = Role::parse("boss").unwrap_err();
        assert!(err.to_string().contains("owner, admin, user or guest"), "the message lists the names: {err}");
    }

    #[test]
    fn serialises_as_the_contract_value() {
        assert_eq!(serde_json::to_value(Role::SubaccountGuest).unwrap(), serde_json::json!("SUBACCOUNT_GUEST"));
        for r in Role::ALL {
            assert_eq!(Role::from_stored(r.as_str()).unwrap(), r);
        }
    }
}
