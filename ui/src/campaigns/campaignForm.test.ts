// Owns the tests of the campaign editor's pure logic.
import { describe, expect, it } from 'vitest';
import type { Preview } from './api';
import { fromCampaign, leftOutText, newDraft, sendBlockedReason, toCampaign, uniqueName } from './campaignForm';

const counts = { recipients: 5, suppressed: 0, unsubscribed: 0, bounced: 0, complained: 0 };
const preview = (over: Partial<Preview> = {}): Preview => ({
  counts,
  fan: { customer_id: 1, email: 'a@x.co', name: 'A', position: 0 },
  unsubscribe_url: 'mailto:x',
  subject: 's',
  preheader: '',
  html: '<p>x</p>',
  text: 'x',
  warnings: [],
  can_send: true,
  ...over,
});

describe('campaignForm', () => {
  it('picks a name no campaign uses, ignoring case and spaces', () => {
    expect(uniqueName('Launch', [])).toBe('Launch');
    expect(uniqueName('Launch', [' launch ', 'Launch 2'])).toBe('Launch 3');
    expect(uniqueName('  ', [])).toBe('Untitled campaign');
  });

  it('round-trips a draft through the campaign payload with exactly one body', () => {
    const d = { ...newDraft('Spring', 'newsletter', 'Ana', ' ana@x.co '), segmentName: 'VIPs' };
    const c = toCampaign(d);
    expect(c.body_markdown).toContain('{{ first_name');
    expect(c.body_html).toBeUndefined();
    expect(c.body_text).toBeUndefined();
    expect(c.from_email).toBe('ana@x.co');
    expect(c.segment_name).toBe('VIPs');
    const html = toCampaign({ ...d, bodyMode: 'html', body: '<p>hi</p>', bodyText: 'hi', segmentName: '' });
    expect(html.body_markdown).toBeUndefined();
    expect(html.body_html).toBe('<p>hi</p>');
    expect(html.body_text).toBe('hi');
    expect('segment_name' in html).toBe(false);
    expect(fromCampaign(html)).toMatchObject({ bodyMode: 'html', body: '<p>hi</p>', bodyText: 'hi', segmentName: '' });
  });

  it('says why a campaign cannot be sent', () => {
    expect(sendBlockedReason(preview(), null)).toBeNull();
    expect(sendBlockedReason(null, 'template error in subject at line 1, column 4')).toContain('line 1, column 4');
    const blocking = preview({
      can_send: false,
      warnings: [
        { code: 'no_postal_address', message: 'No postal address in the footer.', blocking: true },
        { code: 'long_subject', message: 'Long subject.', blocking: false },
      ],
    });
    expect(sendBlockedReason(blocking, null)).toBe('No postal address in the footer.');
    expect(sendBlockedReason(preview({ counts: { ...counts, recipients: 0 }, can_send: false }), null)).toContain('Nobody');
  });

  it('lists only the reasons fans were left out for', () => {
    expect(leftOutText(counts)).toBe('Nobody left out');
    expect(leftOutText({ ...counts, suppressed: 1203, unsubscribed: 1200, complained: 3 })).toBe(
      '1,203 left out: 1,200 unsubscribed, 3 complained',
    );
  });
});
