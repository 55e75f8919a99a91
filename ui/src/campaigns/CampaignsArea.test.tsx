// Owns the tests of the campaigns area with a mocked IPC: the editor shows the preview in a
// sandboxed frame, disables Send with the reason, autosaves, and confirms the exact count.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Campaign, Pick, Preview, SavedCampaign } from './api';

const campaign: Campaign = {
  name: 'Spring',
  subject: '{{ first_name }}',
  preheader: '',
  body_markdown: 'Hi',
  from_name: 'Ana',
  from_email: 'ana@x.co',
  reply_to: '',
  footer_address: '',
  template: 'announcement',
};
const saved: SavedCampaign = { id: 1, state: 'draft', updated_at: 1, started_at: null, finished_at: null, campaign };
const state = { saves: [] as Campaign[], picks: [] as Pick[], sends: 0 };

function previewFor(c: Campaign): Preview {
  const blocked = c.footer_address === '';
  return {
    counts: { recipients: 2, suppressed: 1, unsubscribed: 1, bounced: 0, complained: 0 },
    fan: { customer_id: 1, email: 'a@x.co', name: 'Ana', position: 0 },
    unsubscribe_url: 'mailto:x',
    subject: 'Ana',
    preheader: '',
    html: '<p>Hi <script>alert(1)</script>Ana</p>',
    text: 'Hi Ana',
    warnings: blocked ? [{ code: 'no_postal_address', message: 'Add your postal address.', blocking: true }] : [],
    can_send: !blocked,
  };
}

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    campaignTemplates: async () => [{ id: 'announcement', title: 'Announcement' }],
    campaignList: async () => [saved],
    campaignSegments: async () => [{ name: 'VIPs', builtin: false }],
    smtpSettingsGet: async () => null,
    campaignSave: async (_s: string, c: Campaign) => {
      state.saves.push(c);
      return { ...saved, campaign: c };
    },
    campaignPreview: async (_s: string, c: Campaign, pick: Pick) => {
      state.picks.push(pick);
      if (c.subject.includes('{{ broken')) {
        throw { code: 'TEMPLATE', message: 'template error in subject at line 1, column 4: unexpected end' };
      }
      return previewFor(c);
    },
    campaignCounts: async () => ({ recipients: 7, suppressed: 2, unsubscribed: 1, bounced: 1, complained: 0 }),
    campaignSend: async () => {
      state.sends += 1;
      return new Promise(() => undefined);
    },
  };
});

const { CampaignsArea } = await import('./CampaignsArea');

afterEach(() => {
  cleanup();
  state.saves = [];
  state.picks = [];
  state.sends = 0;
});

describe('CampaignsArea', () => {
  it('previews in a sandboxed frame and disables Send with the reason until the address is given', async () => {
    render(<CampaignsArea storeId="s1" onError={vi.fn()} />);
    const frame = await screen.findByTestId('preview-frame');
    expect(frame.getAttribute('sandbox')).toBe('');
    expect(frame.getAttribute('srcdoc')).toContain('Hi');
    expect(screen.getByTestId('recipient-count').dataset.count).toBe('2');
    expect(screen.getByTestId('left-out-count').textContent).toBe('1 left out: 1 unsubscribed');
    expect((screen.getByTestId('send-open') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('send-blocked-reason').textContent).toContain('Add your postal address.');

    fireEvent.change(screen.getByTestId('campaign-footerAddress'), { target: { value: '1 Main St' } });
    await waitFor(() => expect((screen.getByTestId('send-open') as HTMLButtonElement).disabled).toBe(false));
    await waitFor(() => expect(state.saves[state.saves.length - 1]?.footer_address).toBe('1 Main St'));
    expect(screen.getByTestId('save-state').dataset.state).toBe('saved');

    fireEvent.click(screen.getByTestId('send-open'));
    expect(screen.getByTestId('send-confirm-text').textContent).toBe('Send “Spring” to exactly 2 fans?');
    expect(state.sends).toBe(0);
    await act(async () => fireEvent.click(screen.getByTestId('send-confirm')));
    expect(state.sends).toBe(1);
    expect(screen.getByTestId('send-progress')).toBeTruthy();
  });

  it('steps to the next recipient from the one shown', async () => {
    render(<CampaignsArea storeId="s1" onError={vi.fn()} />);
    await screen.findByTestId('preview-frame');
    await waitFor(() => expect((screen.getByTestId('preview-next') as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByTestId('preview-next'));
    await waitFor(() => expect(state.picks[state.picks.length - 1]).toEqual({ kind: 'after', email: 'a@x.co' }));
  });

  it('names a template error with its position and still shows the exact counts', async () => {
    render(<CampaignsArea storeId="s1" onError={vi.fn()} />);
    await screen.findByTestId('preview-frame');
    fireEvent.change(screen.getByTestId('campaign-subject'), { target: { value: 'Hi {{ broken' } });
    expect((await screen.findByTestId('preview-error')).textContent).toContain('line 1, column 4');
    await waitFor(() => expect(screen.getByTestId('recipient-count').dataset.count).toBe('7'));
    expect(screen.getByTestId('left-out-count').textContent).toBe('2 left out: 1 unsubscribed, 1 bounced');
    expect(screen.queryByTestId('preview-frame')).toBeNull();
    expect((screen.getByTestId('send-open') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('send-blocked-reason').textContent).toContain('line 1, column 4');
  });
});
