// Owns the admin area tests: pull on open, stats figures, filters sent to the domain, role change through the confirmation (applied and refused), bulk results.
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BulkOutcome, RoleChange, Stats, UserQuery, UserRow } from './api';

function user(i: number, extra: Partial<UserRow> = {}): UserRow {
  return {
    id: `u${i}`,
    cursor: `c${i}`,
    email: `user${i}@x.co`,
    name: `User ${i}`,
    image_url: '',
    role: 'SUBACCOUNT_USER',
    admin: false,
    stripe_connected: i % 3 === 0,
    stripe_connect_account_id: i % 3 === 0 ? `acct_${i}` : '',
    created_at: 1_760_000_000_000 - i * 86_400_000,
    last_sign_in_at: null,
    fan_stores: i % 2,
    ...extra,
  };
}

const STATS: Stats = {
  as_of: 1_760_000_000_000,
  total_users: 30,
  admins: 1,
  creators: 10,
  students: 4,
  signups_per_week: Array.from({ length: 26 }, (_, i) => ({ week_start: 1_744_588_800_000 + i * 604_800_000, signups: i % 4 })),
  conversion: [{ store_id: 's1', store_name: 'Beat Lab', fans: 40, users: 10, rate: 0.25 }],
};

const state = { users: [] as UserRow[] };
const calls = {
  pull: vi.fn(),
  page: vi.fn(),
  setRole: vi.fn(),
  setRoles: vi.fn(),
};
let refuse: { code: string; message: string } | null = null;

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    usersPull: async (onProgress: (p: { phase: string; done: number; total: null }) => void) => {
      calls.pull();
      onProgress({ phase: 'users', done: 30, total: null });
      return { received: 30, written: 30, total: 30 };
    },
    usersPage: async (q: UserQuery) => {
      calls.page(q);
      const rows = state.users.filter((u) => q.stripe_connected === null || u.stripe_connected === q.stripe_connected);
      return { rows, next: null };
    },
    adminStats: async () => STATS,
    userDetail: async (id: string) => ({
      user: state.users.find((u) => u.id === id)!,
      clerk_id: 'clerk_1',
      updated_at: 1,
      fan_of: [
        { store_id: 's1', store_name: 'Beat Lab', customer_id: 1, type: 'paying', status: 'active', total_spent_cents: 4_900, purchases: 2, enrollments: 0 },
      ],
    }),
    roleEffects: async (ids: string[], change: RoleChange) =>
      ids.map((id) => `${id} becomes ${change.role ?? 'the same'}${change.admin === false ? ' and loses the admin flag' : ''}`),
    setRole: async (id: string, change: RoleChange) => {
      calls.setRole(id, change);
      if (refuse !== null) throw refuse;
      const u = state.users.find((x) => x.id === id)!;
      Object.assign(u, change.role === null ? {} : { role: change.role }, change.admin === null ? {} : { admin: change.admin });
      return { ...u };
    },
    setRoles: async (ids: string[], change: RoleChange): Promise<BulkOutcome> => {
      calls.setRoles(ids, change);
      const results = ids.map((id) =>
        id === 'u0'
          ? { user_id: id, status: 'refused' as const, code: 'CONFLICT', message: 'you cannot remove your own admin flag' }
          : { user_id: id, status: 'applied' as const },
      );
      return { applied: ids.length - 1, refused: 1, skipped: 0, results };
    },
  };
});

const { AdminArea } = await import('./AdminArea');

beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.testid === 'users-scroll' ? 600 : 0;
    },
  });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
});
beforeEach(() => {
  state.users = Array.from({ length: 30 }, (_, i) => user(i, i === 0 ? { admin: true, role: 'AGENCY_OWNER' } : {}));
  for (const c of Object.values(calls)) c.mockReset();
  refuse = null;
});
afterEach(cleanup);

function renderArea() {
  const onError = vi.fn();
  const onDataChanged = vi.fn();
  render(<AdminArea onError={onError} me="u0" onDataChanged={onDataChanged} />);
  return { onError, onDataChanged };
}

function choose(testId: string, value: string) {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

async function openUser(id: string) {
  const row = await waitFor(() => {
    const r = document.querySelector<HTMLElement>(`[data-testid=user-row][data-id=${id}]`);
    if (r === null) throw new Error(`row ${id} is not rendered`);
    return r;
  });
  fireEvent.click(row);
  await screen.findByTestId('fan-of');
}

describe('AdminArea', () => {
  it('pulls the users on open and shows the stats and the charts from the figures', async () => {
    const { onDataChanged } = renderArea();
    await waitFor(() => expect(screen.getByTestId('admin-pull').getAttribute('data-state')).toBe('done'));
    expect(calls.pull).toHaveBeenCalledTimes(1);
    expect(onDataChanged).toHaveBeenCalled();
    await waitFor(() => expect(screen.getByTestId('users-count').getAttribute('data-count')).toBe('30'));
    expect(screen.getByTestId('stat-creators').textContent).toBe('10');
    expect(screen.getByTestId('stat-students').textContent).toBe('4');
    const bars = screen.getAllByTestId('signup-bar');
    expect(bars).toHaveLength(26);
    expect(bars.map((b) => Number(b.getAttribute('data-count')))).toEqual(STATS.signups_per_week.map((w) => w.signups));
    expect(screen.getByTestId('conversion-bar').textContent).toContain('25.0%');
  });

  it('sends the Stripe filter to the domain and shows only what it returns', async () => {
    renderArea();
    await waitFor(() => expect(screen.getByTestId('users-count').getAttribute('data-count')).toBe('30'));
    choose('filter-stripe', 'yes');
    await waitFor(() => expect(screen.getByTestId('users-count').getAttribute('data-count')).toBe('10'));
    expect(calls.page).toHaveBeenLastCalledWith(expect.objectContaining({ stripe_connected: true, after: null }));
    const rows = document.querySelectorAll<HTMLElement>('[data-testid=user-row]');
    expect(Array.from(rows).every((r) => r.dataset.stripe === 'true')).toBe(true);
  });

  it('changes a role only after the confirmation that states the effect', async () => {
    renderArea();
    await openUser('u4');
    expect(screen.getByTestId('user-drawer').textContent).toContain('Beat Lab');
    expect(screen.getByTestId('user-drawer').textContent).toContain('$49.00');
    choose('drawer-role-select', 'SUBACCOUNT_GUEST');
    fireEvent.click(screen.getByTestId('drawer-role-apply'));
    const effect = await screen.findByTestId('role-effect');
    expect(effect.textContent).toContain('u4 becomes SUBACCOUNT_GUEST');
    expect(calls.setRole).not.toHaveBeenCalled();
    fireEvent.click(screen.getByTestId('role-confirm'));
    await waitFor(() => expect(calls.setRole).toHaveBeenCalledWith('u4', { role: 'SUBACCOUNT_GUEST', admin: null }));
    await waitFor(() => expect(screen.queryByTestId('role-dialog')).toBeNull());
    await waitFor(() => expect(screen.getByTestId('drawer-role').getAttribute('data-role')).toBe('SUBACCOUNT_GUEST'));
  });

  it("shows the platform's message when it refuses to remove your own admin flag", async () => {
    refuse = { code: 'CONFLICT', message: 'you cannot remove your own admin flag; ask another admin to do it' };
    renderArea();
    await openUser('u0');
    fireEvent.click(screen.getByTestId('drawer-admin-toggle'));
    expect((await screen.findByTestId('role-effect')).textContent).toContain('loses the admin flag');
    fireEvent.click(screen.getByTestId('role-confirm'));
    const error = await screen.findByTestId('role-error');
    expect(error.textContent).toBe(refuse.message);
    expect(error.getAttribute('data-code')).toBe('CONFLICT');
    expect(calls.setRole).toHaveBeenCalledWith('u0', { role: null, admin: false });
  });

  it('applies a bulk change to the selection and lists the result of each user', async () => {
    renderArea();
    await waitFor(() => expect(screen.getByTestId('users-count').getAttribute('data-count')).toBe('30'));
    for (const id of ['u0', 'u1', 'u2']) {
      const row = document.querySelector<HTMLElement>(`[data-testid=user-row][data-id=${id}]`)!;
      fireEvent.click(within(row).getByTestId('user-select'));
    }
    expect(screen.getByTestId('users-selected').textContent).toContain('3 selected');
    fireEvent.click(screen.getByTestId('bulk-role-open'));
    expect((screen.getByTestId('role-confirm') as HTMLButtonElement).disabled).toBe(true);
    choose('bulk-admin', 'false');
    await waitFor(() => expect(screen.getAllByTestId('role-effect')).toHaveLength(3));
    fireEvent.click(screen.getByTestId('role-confirm'));
    await screen.findByTestId('role-results');
    expect(calls.setRoles).toHaveBeenCalledWith(['u0', 'u1', 'u2'], { role: null, admin: false });
    const results = screen.getAllByTestId('role-result');
    expect(results.map((r) => r.getAttribute('data-status'))).toEqual(['refused', 'applied', 'applied']);
    expect(results[0].textContent).toContain('you cannot remove your own admin flag');
    expect(screen.getByTestId('role-results-summary').textContent).toContain('2 applied · 1 refused');
  });
});
