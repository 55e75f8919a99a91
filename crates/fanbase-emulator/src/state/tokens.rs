//! Desktop tokens: which user a bearer token speaks for, until when, and whether it was revoked.

use serde::Serialize;

use super::State;
use crate::records::User;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Token {
    pub user_id: String,
    /// Epoch ms after which the token no longer works; `None` = never expires.
    pub expires_at: Option<i64>,
    pub revoked: bool,
}

/// Why a request's token was refused: HTTP 401 or 403 with a plain-text message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    pub status: u16,
    pub message: String,
}

impl AuthFailure {
    fn new(status: u16, message: &str) -> AuthFailure {
        AuthFailure { status, message: message.to_string() }
    }
}

impl State {
    /// The user a bearer token (the raw `Authorization` header value) speaks for at `now`.
    pub fn authenticate(&self, header: Option<&str>, now: i64) -> Result<User, AuthFailure> {
        let Some(header) = header else {
            return Err(AuthFailure::new(
                401,
                "Unauthenticated: no desktop token. Send `Authorization: Bearer TOKEN`.",
            ));
        };
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(AuthFailure::new(401, "Unauthenticated: the Authorization header must be `Bearer TOKEN`."));
        };
        let Some(t) = self.tokens.get(token) else {
            return Err(AuthFailure::new(401, "Unauthenticated: this desktop token is not valid. Sign in again."));
        };
        if t.revoked {
            return Err(AuthFailure::new(403, "Forbidden: this desktop token was revoked. Sign in again."));
        }
        if t.expires_at.is_some_and(|exp| now >= exp) {
            return Err(AuthFailure::new(401, "Unauthenticated: this desktop token has expired. Sign in again."));
        }
        self.users
            .get(&t.user_id)
            .cloned()
            .ok_or_else(|| AuthFailure::new(403, "Forbidden: the account of this desktop token no longer exists."))
    }

    /// Issues a new desktop token for `user_id`.
    pub fn issue_token(&mut self, user_id: &str, expires_at: Option<i64>) -> Result<String, String> {
        if !self.users.contains_key(user_id) {
            return Err(format!("no user `{user_id}`"));
        }
        let token = self.new_secret("fbdt_");
        self.tokens.insert(token.clone(), Token { user_id: user_id.to_string(), expires_at, revoked: false });
        Ok(token)
    }

    /// Adds a token given by a seed, as it is.
    pub fn put_token(&mut self, token: String, t: Token) {
        self.tokens.insert(token, t);
    }

    /// Makes a token expired from now on.
    pub fn expire_token(&mut self, token: &str) -> Result<(), String> {
        let now = self.clock.now();
        let t = self.tokens.get_mut(token).ok_or("no such token")?;
        t.expires_at = Some(now);
        Ok(())
    }

    pub fn revoke_token(&mut self, token: &str) -> Result<(), String> {
        let t = self.tokens.get_mut(token).ok_or("no such token")?;
        t.revoked = true;
        Ok(())
    }
}
