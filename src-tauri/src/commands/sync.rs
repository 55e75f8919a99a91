//! Sign-in and sync commands: the session (which credentials this window uses), sign in/out, one
//! sync with progress over a `Channel` (cancellable), the status bar's numbers, and conflicts.
//! The domain work is `fanbase_sync`; the token never leaves this process except to the platform.

use std::sync::Mutex;
use std::time::Duration;

use fanbase_core::{now_ms, Db};
use fanbase_sync::conflicts::{self, Waiting};
use fanbase_sync::credentials::{self, Source};
use fanbase_sync::wire::Whoami;
use fanbase_sync::{
    Cancel, Client, Credentials, Error, Keep, Keychain, Progress, RetryPolicy, SyncOptions, SyncReport,
};
use fanbase_sync::{SyncStatus, Token};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::ipc_error::{IpcError, IpcResult};

/// The window's sign-in and the running sync's cancel switch.
#[derive(Default)]
pub struct SyncSession(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    /// `None` until first read; then the credentials in use (or none).
    creds: Option<Option<(Credentials, Source)>>,
    running: Option<Cancel>,
}

impl SyncSession {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The credentials in use: read once from the environment or the keychain, then kept here.
    /// Every platform call of the window (sync, admin) uses these, so a sign-out counts everywhere.
    pub(crate) fn credentials(&self) -> Result<Option<(Credentials, Source)>, Error> {
        if let Some(c) = &self.lock().creds {
            return Ok(c.clone());
        }
        let found = match credentials::resolve(Keychain::os) {
            Ok(c) => Some(c),
            Err(Error::NotSignedIn) => None,
            Err(e) => return Err(e),
        };
        self.lock().creds = Some(found.clone());
        Ok(found)
    }

    fn set(&self, creds: Option<(Credentials, Source)>) {
        self.lock().creds = Some(creds);
    }
}

/// Retries for the window: bounded to seconds, so "offline" shows quickly and the next background
/// sync tries again (a real network's long outages are covered by that schedule, not by waiting).
fn window_policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base: Duration::from_millis(250),
        cap: Duration::from_secs(4),
        max_retry_after: Duration::from_secs(60),
        request_timeout: Duration::from_secs(60),
        connect_timeout: Duration::from_secs(5),
    }
}

/// Who is signed in, for the status bar. `account` needs the platform; when it cannot be reached
/// (or refuses the token) `error` says why and the window still works locally.
#[derive(Serialize)]
pub struct Session {
    signed_in: bool,
    deployment: Option<String>,
    /// `keychain` or `environment`.
    source: Option<Source>,
    account: Option<Whoami>,
    error: Option<IpcError>,
}

impl Session {
    fn signed_out(error: Option<IpcError>) -> Session {
        Session { signed_in: false, deployment: None, source: None, account: None, error }
    }
}

/// The session; asks the platform who we are when `check` is true.
#[tauri::command]
pub async fn sync_session(session: State<'_, SyncSession>, check: bool) -> IpcResult<Session> {
    let (creds, source) = match session.credentials() {
        Ok(Some(c)) => c,
        Ok(None) => return Ok(Session::signed_out(None)),
        Err(e) => return Ok(Session::signed_out(Some(e.into()))),
    };
    let (account, error) = if check {
        match Client::with_policy(&creds, window_policy())?.whoami().await {
            Ok(who) => (Some(who), None),
            Err(e) => (None, Some(e.into())),
        }
    } else {
        (None, None)
    };
    Ok(Session { signed_in: true, deployment: Some(creds.deployment), source: Some(source), account, error })
}

/// Checks the deployment and token with `desktop:whoami`, keeps them in the OS keychain and makes
/// the account's stores known. Nothing is kept when the platform refuses.
#[tauri::command]
pub async fn sync_sign_in(
    db: State<'_, Db>,
    session: State<'_, SyncSession>,
    deployment: String,
    token: String,
) -> IpcResult<Session> {
    let creds = Credentials::new(&deployment, Token::new(token))?;
    let keychain = Keychain::os()?;
    let sign_in_policy = RetryPolicy { max_attempts: 2, connect_timeout: Duration::from_secs(5), ..window_policy() };
    let who = fanbase_sync::sign_in_with(&db, &keychain, &creds, sign_in_policy, now_ms()).await?;
    session.set(Some((creds.clone(), Source::Keychain)));
    Ok(Session {
        signed_in: true,
        deployment: Some(creds.deployment),
        source: Some(Source::Keychain),
        account: Some(who),
        error: None,
    })
}

/// Removes the sign-in from the keychain; local data and pending changes stay. The environment's
/// credentials (if any) are not used again by this window.
#[tauri::command]
pub async fn sync_sign_out(session: State<'_, SyncSession>) -> IpcResult<()> {
    let from_keychain = !matches!(session.credentials(), Ok(Some((_, Source::Environment))));
    if from_keychain {
        fanbase_sync::sign_out(&Keychain::os()?)?;
    }
    session.set(None);
    Ok(())
}

/// Runs one full sync (pull, then push), sending progress; `sync_cancel` stops it. A second call
/// while one runs answers `SYNC_RUNNING` at once, so runs never overlap.
#[tauri::command]
pub async fn sync_run(
    db: State<'_, Db>,
    session: State<'_, SyncSession>,
    on_progress: Channel<Progress>,
) -> IpcResult<SyncReport> {
    let (creds, _) = session.credentials()?.ok_or(Error::NotSignedIn)?;
    let cancel = {
        let mut inner = session.lock();
        if inner.running.is_some() {
            return Err(IpcError { code: "SYNC_RUNNING", message: "a sync is already running".into() });
        }
        let cancel = Cancel::new();
        inner.running = Some(cancel.clone());
        cancel
    };
    let progress = |p: &Progress| {
        // A closed window is no reason to stop the sync.
        let _ = on_progress.send(p.clone());
    };
    let result = match Client::with_policy(&creds, window_policy()) {
        Ok(client) => fanbase_sync::sync(&db, &client, &SyncOptions::default(), &progress, &cancel).await,
        Err(e) => Err(e),
    };
    session.lock().running = None;
    Ok(result?)
}

/// Asks the running sync to stop after its current page; false when none runs.
#[tauri::command]
pub fn sync_cancel(session: State<'_, SyncSession>) -> bool {
    session.lock().running.as_ref().map(Cancel::cancel).is_some()
}

/// The status bar's numbers, and whether a sync runs now.
#[derive(Serialize)]
pub struct StatusNow {
    #[serde(flatten)]
    status: SyncStatus,
    running: bool,
}

#[tauri::command]
pub async fn sync_status(db: State<'_, Db>, session: State<'_, SyncSession>) -> IpcResult<StatusNow> {
    let status = fanbase_sync::status(&db).await?;
    Ok(StatusNow { status, running: session.lock().running.is_some() })
}

/// Conflicts and rejected changes of every store, oldest first.
#[tauri::command]
pub async fn sync_conflicts(db: State<'_, Db>) -> IpcResult<Vec<Waiting>> {
    Ok(conflicts::list(&db, None).await?)
}

/// Resolves conflict `id`: `keep` is `mine` (re-sent by the next sync) or `theirs`.
#[tauri::command]
pub async fn sync_resolve(db: State<'_, Db>, id: i64, keep: String) -> IpcResult<()> {
    Ok(conflicts::resolve(&db, id, Keep::parse(&keep)?, now_ms()).await?)
}

/// Drops rejected change `id`; the contact takes the platform's version.
#[tauri::command]
pub async fn sync_dismiss(db: State<'_, Db>, id: i64) -> IpcResult<()> {
    Ok(conflicts::dismiss(&db, id, now_ms()).await?)
}
