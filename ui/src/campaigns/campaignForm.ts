// Owns the campaign editor's pure logic: new drafts from a template, unique names, the payload sent
// to the domain, and why a campaign cannot be sent yet.
import type { Campaign, LayoutId, Preview } from './api';

export type BodyMode = 'markdown' | 'html';

/** What the editor edits: the campaign plus which body is in use and whether the text part is hand-written. */
export interface Draft {
  name: string;
  subject: string;
  preheader: string;
  bodyMode: BodyMode;
  body: string;
  /** null: the plain-text part is generated from the body. */
  bodyText: string | null;
  fromName: string;
  fromEmail: string;
  replyTo: string;
  footerAddress: string;
  /** '' = the whole list. */
  segmentName: string;
  template: LayoutId;
}

const STARTERS: Record<LayoutId, { subject: string; preheader: string; body: string }> = {
  announcement: {
    subject: '{{ first_name | default("there") }}, big news from {{ store_name }}',
    preheader: 'Something new for you',
    body: 'Hi {{ first_name | default("there") }},\n\nWe have something new to share with you.\n\n[See what is new](https://example.com)\n\n{% if "vip" in tags %}As a VIP you hear it first.{% endif %}',
  },
  newsletter: {
    subject: 'This month at {{ store_name }}',
    preheader: 'News, tips and what is coming next',
    body: 'Hi {{ first_name | default("there") }},\n\n## What is new\n\nA few words about this month.\n\n## A tip for {{ daw | default("your DAW") }}\n\nShare one useful trick.',
  },
  course_launch: {
    subject: '{{ first_name | default("there") }}, the new course is open',
    preheader: 'Enrolment is open now',
    body: 'Hi {{ first_name | default("there") }},\n\nThe course you asked about is **live**.\n\n[Enrol now](https://example.com/course)\n\n{% if "vip" in tags %}As a VIP you get 30% off.{% endif %}',
  },
};

export function newDraft(name: string, template: LayoutId, fromName: string, fromEmail: string): Draft {
  const starter = STARTERS[template];
  return {
    name,
    subject: starter.subject,
    preheader: starter.preheader,
    bodyMode: 'markdown',
    body: starter.body,
    bodyText: null,
    fromName,
    fromEmail,
    replyTo: '',
    footerAddress: '',
    segmentName: '',
    template,
  };
}

/** `base`, or `base 2`, `base 3`… whichever no existing campaign uses (names compare trimmed, case-insensitively). */
export function uniqueName(base: string, existing: string[]): string {
  const taken = new Set(existing.map((n) => n.trim().toLowerCase()));
  const root = base.trim() === '' ? 'Untitled campaign' : base.trim();
  if (!taken.has(root.toLowerCase())) return root;
  for (let i = 2; ; i++) {
    const candidate = `${root} ${i}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export function toCampaign(d: Draft): Campaign {
  const c: Campaign = {
    name: d.name.trim(),
    subject: d.subject,
    preheader: d.preheader,
    from_name: d.fromName,
    from_email: d.fromEmail.trim(),
    reply_to: d.replyTo.trim(),
    footer_address: d.footerAddress,
    template: d.template,
  };
  if (d.bodyMode === 'html') c.body_html = d.body;
  else c.body_markdown = d.body;
  if (d.bodyText !== null) c.body_text = d.bodyText;
  if (d.segmentName !== '') c.segment_name = d.segmentName;
  return c;
}

export function fromCampaign(c: Campaign): Draft {
  const html = c.body_html !== undefined && c.body_html !== null;
  return {
    name: c.name,
    subject: c.subject,
    preheader: c.preheader ?? '',
    bodyMode: html ? 'html' : 'markdown',
    body: (html ? c.body_html : c.body_markdown) ?? '',
    bodyText: c.body_text ?? null,
    fromName: c.from_name,
    fromEmail: c.from_email,
    replyTo: c.reply_to ?? '',
    footerAddress: c.footer_address ?? '',
    segmentName: c.segment_name ?? '',
    template: c.template ?? 'announcement',
  };
}

/** Why Send is disabled, in words; null when it can be sent. */
export function sendBlockedReason(preview: Preview | null, previewError: string | null): string | null {
  if (previewError !== null) return `Fix the campaign first: ${previewError}`;
  if (preview === null) return 'Checking the campaign…';
  const blocking = preview.warnings.filter((w) => w.blocking);
  if (blocking.length > 0) return blocking.map((w) => w.message).join(' ');
  if (preview.counts.recipients === 0) return 'Nobody in this list or segment can be emailed.';
  if (!preview.can_send) return 'The campaign cannot be sent yet.';
  return null;
}

/** "3 fans left out: 1 unsubscribed, 1 bounced, 1 complained" (only the non-zero reasons). */
export function leftOutText(c: Preview['counts']): string {
  if (c.suppressed === 0) return 'Nobody left out';
  const parts = (
    [
      [c.unsubscribed, 'unsubscribed'],
      [c.bounced, 'bounced'],
      [c.complained, 'complained'],
    ] as const
  )
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n.toLocaleString('en-US')} ${what}`);
  return `${c.suppressed.toLocaleString('en-US')} left out: ${parts.join(', ')}`;
}
