// Owns the campaigns area's IPC contract: its types and its calls to `invoke` (drafts, preview,
// SMTP settings, test and real sends with progress over a Channel).
import { Channel, invoke } from '@tauri-apps/api/core';
import { toApiError } from '../api';

export type LayoutId = 'announcement' | 'newsletter' | 'course_launch';

/** A campaign as the domain stores it (JSON field names are the domain's contract). */
export interface Campaign {
  name: string;
  subject: string;
  preheader: string;
  body_markdown?: string;
  body_html?: string;
  body_text?: string;
  from_name: string;
  from_email: string;
  reply_to: string;
  footer_address: string;
  segment_name?: string;
  template: LayoutId;
}

export type CampaignState = 'draft' | 'sending' | 'paused' | 'cancelled' | 'done';

export interface SavedCampaign {
  id: number;
  state: CampaignState;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  campaign: Campaign;
}

export interface TemplateInfo {
  id: LayoutId;
  title: string;
}

export interface SegmentChoice {
  name: string;
  builtin: boolean;
}

export interface Counts {
  recipients: number;
  suppressed: number;
  unsubscribed: number;
  bounced: number;
  complained: number;
}

export interface Warning {
  code: string;
  message: string;
  blocking: boolean;
  count?: number;
}

export interface PreviewFan {
  customer_id: number;
  email: string;
  name: string;
  position: number;
}

export interface Preview {
  counts: Counts;
  fan: PreviewFan | null;
  unsubscribe_url: string;
  subject: string;
  preheader: string;
  html: string;
  text: string;
  warnings: Warning[];
  can_send: boolean;
}

/** Which recipient to preview: the first, one by email, or the one after/before an email. */
export type Pick =
  | { kind: 'first' }
  | { kind: 'email'; email: string }
  | { kind: 'after'; email: string }
  | { kind: 'before'; email: string };

export type TlsMode = 'implicit' | 'starttls' | 'none';

export interface SmtpSettings {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  ca_pem: string;
  unsubscribe_url_template: string;
  unsubscribe_mailto: string;
}

export interface SmtpState {
  settings: SmtpSettings;
  has_password: boolean;
}

export interface TestSent {
  to: string;
  rendered_as: string | null;
  message_id: string;
  reply: string;
}

export type SendPhase = 'starting' | 'sending' | 'paused' | 'waiting' | 'done' | 'stopped' | 'cancelled';

export interface SendProgress {
  campaign_id: number;
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  phase: SendPhase;
  note: string;
}

export interface SendSummary {
  campaign_id: number;
  total: number;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  skipped: number;
  phase: SendPhase;
  interrupted: number;
}

async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

export function campaignTemplates(): Promise<TemplateInfo[]> {
  return call('campaign_templates', {});
}

export function campaignList(storeId: string): Promise<SavedCampaign[]> {
  return call('campaign_list', { storeId });
}

export function campaignSave(storeId: string, campaign: Campaign, previousName: string | null): Promise<SavedCampaign> {
  return call('campaign_save', { storeId, campaign, previousName });
}

export function campaignDelete(storeId: string, name: string): Promise<void> {
  return call('campaign_delete', { storeId, name });
}

export function campaignSegments(storeId: string): Promise<SegmentChoice[]> {
  return call('campaign_segments', { storeId });
}

/** Exact counts of the recipients choice; works while a template has an error. */
export function campaignCounts(storeId: string, campaign: Campaign): Promise<Counts> {
  return call('campaign_counts', { storeId, campaign });
}

export function campaignPreview(storeId: string, campaign: Campaign, pick: Pick): Promise<Preview> {
  return call('campaign_preview', { storeId, campaign, pick });
}

export function smtpSettingsGet(): Promise<SmtpState | null> {
  return call('smtp_settings_get', {});
}

/** `password`: empty keeps the stored one; it goes to the OS keychain, never to the database. */
export function smtpSettingsSave(smtp: SmtpSettings, password: string): Promise<SmtpState> {
  return call('smtp_settings_save', { smtp, password: password === '' ? null : password });
}

export function campaignSendTest(storeId: string, campaign: Campaign, to: string, renderedAs: Pick): Promise<TestSent> {
  return call('campaign_send_test', { storeId, campaign, test: { to, rendered_as: renderedAs } });
}

/** Sends (or resumes) the campaign; resolves when the run ends. */
export function campaignSend(
  storeId: string,
  campaign: Campaign,
  rate: number,
  onProgress: (p: SendProgress) => void,
): Promise<SendSummary> {
  const channel = new Channel<SendProgress>();
  channel.onmessage = onProgress;
  return call('campaign_send', { storeId, campaign, rate, onProgress: channel });
}

export function campaignSendControl(campaignId: number, action: 'pause' | 'resume' | 'cancel'): Promise<boolean> {
  return call('campaign_send_control', { campaignId, action });
}
