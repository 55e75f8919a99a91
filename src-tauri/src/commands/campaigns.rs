//! Campaign commands: drafts, templates, the segments to pick, preview as a fan (with the exact
//! counts and the warnings), SMTP settings (the password goes to the OS keychain, never SQLite),
//! a test message, and sending with progress over a `Channel`, pause, resume and cancel.
//! Each command is a thin adapter over `fanbase_campaign`.

use std::collections::HashMap;
use std::sync::Mutex;

use fanbase_campaign::audience::Counts;
use fanbase_campaign::drafts::{self, Saved};
use fanbase_campaign::send::{self, SendControl, SendOptions};
use fanbase_campaign::send::{Progress, Started, Summary, TestSent};
use fanbase_campaign::smtp::settings;
use fanbase_campaign::{
    Campaign, Layout, NoPlatform, Pick, PlatformLinks, Preview, SmtpAccount, SmtpSettings, TestMessage,
    UnsubscribeLinks,
};
use fanbase_core::{now_ms, Db};
use serde::Serialize;
use tauri::ipc::Channel;
use tauri::State;

use crate::commands::sync::SyncSession;
use crate::ipc_error::{IpcError, IpcResult};

/// The controls of the sends running in this window, by campaign id.
#[derive(Default)]
pub struct CampaignSends(Mutex<HashMap<i64, SendControl>>);

impl CampaignSends {
    fn get(&self, campaign_id: i64) -> Option<SendControl> {
        self.0.lock().expect("sends lock").get(&campaign_id).cloned()
    }
}

/// A built-in layout the editor offers.
#[derive(Serialize)]
pub struct TemplateInfo {
    id: &'static str,
    title: &'static str,
}

/// A named segment the recipients can be limited to.
#[derive(Serialize)]
pub struct SegmentChoice {
    name: String,
    builtin: bool,
}

/// The saved SMTP settings and whether a password is stored for them (it is never sent to the window).
#[derive(Serialize)]
pub struct SmtpState {
    settings: SmtpSettings,
    has_password: bool,
}

impl SmtpState {
    /// A server without a user name needs no password; otherwise the keychain is asked.
    fn of(settings: SmtpSettings) -> SmtpState {
        let has_password = settings.username.is_empty() || settings::password(&settings).is_ok();
        SmtpState { settings, has_password }
    }
}

/// The platform's one-click unsubscribe links when the window is signed in (its `SyncSession`, read
/// once), else the configured fallback. `strict`: a send fails rather than fall back.
fn links(session: &SyncSession, strict: bool) -> Box<dyn UnsubscribeLinks> {
    let client = session.credentials().ok().flatten().and_then(|(creds, _)| fanbase_sync::Client::new(&creds).ok());
    match client {
        Some(c) if strict => Box::new(PlatformLinks::strict(c)),
        Some(c) => Box::new(PlatformLinks::lenient(c)),
        None => Box::new(NoPlatform),
    }
}

#[tauri::command]
pub fn campaign_templates() -> Vec<TemplateInfo> {
    Layout::ALL.iter().map(|l| TemplateInfo { id: l.id(), title: l.title() }).collect()
}

#[tauri::command]
pub async fn campaign_list(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<Saved>> {
    Ok(drafts::list(&db, &store_id).await?)
}

/// Saves the draft under its name. When the author renamed it, the draft saved under
/// `previous_name` is renamed first (same id; refused if the new name is taken).
#[tauri::command]
pub async fn campaign_save(
    db: State<'_, Db>,
    store_id: String,
    campaign: Campaign,
    previous_name: Option<String>,
) -> IpcResult<Saved> {
    campaign.validate()?;
    if let Some(previous) = previous_name.filter(|p| !p.trim().is_empty()) {
        drafts::rename(&db, &store_id, &previous, &campaign.name, now_ms()).await?;
    }
    drafts::save(&db, &store_id, &campaign, now_ms()).await?;
    Ok(drafts::get(&db, &store_id, &campaign.name).await?)
}

#[tauri::command]
pub async fn campaign_delete(db: State<'_, Db>, store_id: String, name: String) -> IpcResult<()> {
    Ok(drafts::delete(&db, &store_id, &name).await?)
}

/// The store's named segments (built-in and saved), for the recipients choice.
#[tauri::command]
pub async fn campaign_segments(db: State<'_, Db>, store_id: String) -> IpcResult<Vec<SegmentChoice>> {
    let list = fanbase_segments::saved::list(&db, &store_id).await.map_err(fanbase_campaign::Error::from)?;
    Ok(list.into_iter().map(|s| SegmentChoice { name: s.name, builtin: s.builtin }).collect())
}

/// The exact recipient count of the campaign's list or segment, and the fans left out
/// (unsubscribed, bounced, complained); shown even while a template has an error.
#[tauri::command]
pub async fn campaign_counts(db: State<'_, Db>, store_id: String, campaign: Campaign) -> IpcResult<Counts> {
    Ok(fanbase_campaign::audience::count(&db, &store_id, &campaign, now_ms()).await?)
}

/// What `pick` (the first recipient, one by email, or the one after/before an email) gets, the
/// exact recipient count with the suppressed fans left out, and the warnings.
#[tauri::command]
pub async fn campaign_preview(
    db: State<'_, Db>,
    store_id: String,
    campaign: Campaign,
    session: State<'_, SyncSession>,
    pick: Pick,
) -> IpcResult<Preview> {
    let smtp = settings::load(&db).await?;
    let links = links(&session, false);
    Ok(fanbase_campaign::preview(&db, &store_id, &campaign, &pick, links.as_ref(), smtp.as_ref(), now_ms()).await?)
}

#[tauri::command]
pub async fn smtp_settings_get(db: State<'_, Db>) -> IpcResult<Option<SmtpState>> {
    Ok(settings::load(&db).await?.map(SmtpState::of))
}

/// Saves the SMTP settings; a non-empty `password` goes to the OS keychain first (so a keychain
/// refusal saves nothing). An empty one keeps the stored password.
#[tauri::command]
pub async fn smtp_settings_save(
    db: State<'_, Db>,
    smtp: SmtpSettings,
    password: Option<String>,
) -> IpcResult<SmtpState> {
    smtp.validate()?;
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        settings::store_password(&smtp, &p)?;
    }
    settings::save(&db, &smtp, now_ms()).await?;
    Ok(SmtpState::of(smtp))
}

/// Sends the campaign, as `test.rendered_as` gets it, to `test.to`.
#[tauri::command]
pub async fn campaign_send_test(
    db: State<'_, Db>,
    store_id: String,
    campaign: Campaign,
    session: State<'_, SyncSession>,
    test: TestMessage,
) -> IpcResult<TestSent> {
    let account = SmtpAccount::load(&db).await?;
    let links = links(&session, false);
    Ok(fanbase_campaign::send_test(&db, &store_id, &campaign, &test, &account, links.as_ref(), now_ms()).await?)
}

/// Freezes the recipients (or finds a started campaign again) and sends, streaming progress to
/// `on_progress` until the outbox is drained, cancelled, or the run stops. Resumes a campaign
/// that was interrupted (quit, crash).
#[tauri::command]
pub async fn campaign_send(
    db: State<'_, Db>,
    sends: State<'_, CampaignSends>,
    session: State<'_, SyncSession>,
    store_id: String,
    campaign: Campaign,
    rate: f64,
    on_progress: Channel<Progress>,
) -> IpcResult<Summary> {
    let account = SmtpAccount::load(&db).await?;
    let links = links(&session, true);
    let started: Started =
        send::start(&db, &store_id, &campaign, links.as_ref(), Some(&account.settings), now_ms()).await?;
    let id = started.campaign_id;
    let control = {
        let mut running = sends.0.lock().expect("sends lock");
        if running.contains_key(&id) {
            return Err(fanbase_campaign::Error::CampaignBusy(campaign.name).into());
        }
        running.entry(id).or_default().clone()
    };
    let mut watch = control.subscribe();
    let forward = tauri::async_runtime::spawn(async move {
        while watch.changed().await.is_ok() {
            let p = watch.borrow_and_update().clone();
            // A closed window is no reason to stop sending; the outbox keeps the state.
            let _ = on_progress.send(p);
        }
    });
    let options = SendOptions { rate, ..SendOptions::default() };
    let result = send::run(&db, id, &account, &options, &control).await;
    sends.0.lock().expect("sends lock").remove(&id);
    forward.abort();
    Ok(result?)
}

/// Pauses, resumes or cancels the send of campaign `campaign_id`; false when it is not running here.
#[tauri::command]
pub fn campaign_send_control(sends: State<'_, CampaignSends>, campaign_id: i64, action: String) -> IpcResult<bool> {
    let Some(control) = sends.get(campaign_id) else { return Ok(false) };
    match action.as_str() {
        "pause" => control.pause(),
        "resume" => control.resume(),
        "cancel" => control.cancel(),
        other => {
            return Err(IpcError { code: "INVALID_ARGUMENT", message: format!("unknown send action {other:?}") });
        }
    }
    Ok(true)
}
