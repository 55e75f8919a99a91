// Owns the drawer tests: every field shown, hostile text literal, edits sent with snake_case names, tags added, pending sync shown.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Contact, ContactRow } from './api';
import { makeContact } from './testing/fakeSource';

const HOSTILE = '<img src=x onerror=alert(1)>';

const db = { contact: null as Contact | null };
const calls = { set: vi.fn(), add: vi.fn(), remove: vi.fn() };

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    contactShow: async () => (db.contact === null ? null : { ...db.contact, tags: [...db.contact.tags] }),
    contactSetFields: async (_s: string, id: number, fields: Record<string, unknown>) => {
      calls.set(id, fields);
      if (fields.score === 999) throw { code: 'INVALID_ARGUMENT', message: 'score is out of range' };
      Object.assign(db.contact as Contact, fields);
      return { id, changed: Object.keys(fields), change_id: 'c-1' };
    },
    tagsAdd: async (_s: string, tag: string, target: unknown) => {
      calls.add(tag, target);
      db.contact?.tags.push(tag);
      return { tag, changed: 1, not_found: [] };
    },
    tagsRemove: async (_s: string, tag: string, target: unknown) => {
      calls.remove(tag, target);
      if (db.contact) db.contact.tags = db.contact.tags.filter((t) => t !== tag);
      return { tag, changed: 1, not_found: [] };
    },
  };
});

const { ContactDrawer } = await import('./ContactDrawer');

function fullContact(): Contact {
  return {
    id: 42,
    email: 'ana@example.com',
    name: HOSTILE,
    first_name: 'Ana',
    last_name: 'Lima',
    type: 'paying',
    status: 'active',
    source: 'stripe_purchase',
    score: 70,
    daw: 'Bitwig',
    type_of_music: 'House',
    student_level: 'Advanced',
    phone: '+33 1 23',
    opens_email: true,
    clicks_links: false,
    last_open_date: Date.UTC(2025, 4, 3),
    total_spent: 129.5,
    total_spent_cents: 12950,
    tags: ['<b>vip</b>'],
    custom: { instrument: '<script>x</script>' },
    created_at: Date.UTC(2024, 0, 1),
    updated_at: Date.UTC(2025, 0, 1),
    remote_id: null,
  };
}

const row: ContactRow = { ...makeContact(3), id: 42, email: 'ana@example.com', name: HOSTILE, has_account: true };

beforeEach(() => {
  db.contact = fullContact();
  calls.set.mockReset();
  calls.add.mockReset();
  calls.remove.mockReset();
});
afterEach(cleanup);

function renderDrawer(onChanged = vi.fn()) {
  const onError = vi.fn();
  const utils = render(<ContactDrawer storeId="s1" row={row} onClose={() => {}} onChanged={onChanged} onError={onError} />);
  return { ...utils, onChanged, onError };
}

describe('ContactDrawer', () => {
  it('shows every field, custom fields, tags, engagement and spent, with hostile text literal', async () => {
    const { container } = renderDrawer();
    await screen.findByTestId('field-email');
    const drawer = screen.getByTestId('contact-drawer');
    expect(screen.getByTestId('drawer-name').textContent).toBe(HOSTILE);
    for (const name of ['email', 'name', 'first_name', 'last_name', 'phone', 'source', 'type', 'status', 'score', 'daw', 'type_of_music', 'student_level', 'opens_email', 'clicks_links', 'total_spent', 'custom.instrument']) {
      expect(screen.getByTestId(`field-${name}`), `field ${name} is shown`).toBeTruthy();
    }
    expect((screen.getByTestId('field-custom.instrument') as HTMLInputElement).value).toBe('<script>x</script>');
    expect(screen.getByTestId('drawer-spent').textContent).toBe('$129.50');
    expect(drawer.textContent).toContain('May 3, 2025');
    expect(drawer.textContent).toContain('Registered user');
    expect(drawer.textContent).toContain('<b>vip</b>');
    expect(container.querySelector('img, script, b')).toBeNull();
    expect(screen.queryByTestId('pending-sync')).toBeNull();
  });

  it('reads the contact again, in place, when a sync changed the data', async () => {
    const props = { storeId: 's1', row, onClose: () => {}, onChanged: vi.fn(), onError: vi.fn() };
    const { rerender } = render(<ContactDrawer {...props} reloadKey={0} />);
    await waitFor(() => expect((screen.getByTestId('field-score') as HTMLInputElement).value).toBe('70'));
    (db.contact as Contact).score = 85;
    rerender(<ContactDrawer {...props} reloadKey={0} />);
    expect((screen.getByTestId('field-score') as HTMLInputElement).value, 'no reload without a new key').toBe('70');
    rerender(<ContactDrawer {...props} reloadKey={1} />);
    await waitFor(() => expect((screen.getByTestId('field-score') as HTMLInputElement).value).toBe('85'));
    expect(screen.getByTestId('contact-drawer')).toBeTruthy();
  });

  it('saves an edited field on Enter with its snake_case name and marks the fan pending sync', async () => {
    const { onChanged } = renderDrawer();
    const daw = (await screen.findByTestId('field-daw')) as HTMLInputElement;
    fireEvent.change(daw, { target: { value: 'Ableton' } });
    await act(async () => {
      fireEvent.keyDown(daw, { key: 'Enter' });
    });
    expect(calls.set).toHaveBeenCalledWith(42, { daw: 'Ableton' });
    await screen.findByTestId('pending-sync');
    expect(onChanged).toHaveBeenCalled();
  });

  it('sends typed values: a money amount, a whole number, a boolean', async () => {
    renderDrawer();
    const spent = (await screen.findByTestId('field-total_spent')) as HTMLInputElement;
    expect(spent.value).toBe('129.50');
    fireEvent.change(spent, { target: { value: '$1,000.5' } });
    await act(async () => fireEvent.blur(spent));
    expect(calls.set).toHaveBeenLastCalledWith(42, { total_spent: 1000.5 });
    const score = screen.getByTestId('field-score') as HTMLInputElement;
    fireEvent.change(score, { target: { value: 'lots' } });
    await act(async () => fireEvent.blur(score));
    expect(screen.getByText('Enter a whole number.')).toBeTruthy();
    expect(calls.set).toHaveBeenCalledTimes(1);
    await act(async () => fireEvent.click(screen.getByTestId('field-clicks_links')));
    expect(calls.set).toHaveBeenLastCalledWith(42, { clicks_links: true });
  });

  it('shows the domain error next to a refused edit and keeps the text', async () => {
    renderDrawer();
    const score = (await screen.findByTestId('field-score')) as HTMLInputElement;
    fireEvent.change(score, { target: { value: '999' } });
    await act(async () => fireEvent.blur(score));
    expect(await screen.findByText('score is out of range')).toBeTruthy();
    expect(score.value).toBe('999');
  });

  it('adds and removes tags on this fan only', async () => {
    const { onChanged } = renderDrawer();
    const input = (await screen.findByTestId('drawer-tag-input')) as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'mixing' } });
    await act(async () => fireEvent.submit(input.form as HTMLFormElement));
    expect(calls.add).toHaveBeenCalledWith('mixing', { ids: [42] });
    await waitFor(() => expect(screen.getByTestId('drawer-tags').textContent).toContain('mixing'));
    expect(input.value).toBe('');
    await act(async () => fireEvent.click(screen.getByLabelText('Remove tag <b>vip</b>')));
    expect(calls.remove).toHaveBeenCalledWith('<b>vip</b>', { ids: [42] });
    expect(onChanged).toHaveBeenCalledTimes(2);
    expect(screen.getByTestId('pending-sync')).toBeTruthy();
  });

  it('explains a registered user without a fan record instead of loading one', async () => {
    render(
      <ContactDrawer storeId="s1" row={{ ...row, id: -5, fan: false }} onClose={() => {}} onChanged={() => {}} onError={() => {}} />,
    );
    expect((await screen.findByTestId('contact-drawer')).textContent).toContain('without a fan record');
    expect(screen.queryByTestId('field-email')).toBeNull();
  });
});
