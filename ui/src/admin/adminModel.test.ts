// Owns the tests of the admin area's pure logic: filters → query, paging through cursors, sort toggling, chart geometry.
import { describe, expect, it } from 'vitest';
import type { UserQuery, UserRow, UsersPage } from './api';
import { DEFAULT_USER_SORT, loadAllUsers, monthTicks, NO_FILTERS, niceMax, nextUserSort, toUserQuery, verticalBars } from './adminModel';

function row(id: string): UserRow {
  return {
    id,
    cursor: `c-${id}`,
    email: `${id}@x.co`,
    name: id,
    image_url: '',
    role: 'SUBACCOUNT_USER',
    admin: false,
    stripe_connected: false,
    stripe_connect_account_id: '',
    created_at: 0,
    last_sign_in_at: null,
    fan_stores: 0,
  };
}

describe('toUserQuery', () => {
  it('leaves "any" filters out and maps yes/no to booleans', () => {
    expect(toUserQuery(NO_FILTERS, DEFAULT_USER_SORT)).toMatchObject({
      search: '',
      role: null,
      admin: null,
      stripe_connected: null,
      signed_in_within_days: null,
      after: null,
    });
    const q = toUserQuery({ search: '  ana ', role: 'SUBACCOUNT_GUEST', admin: 'no', stripe: 'yes', signedInDays: 30 }, DEFAULT_USER_SORT);
    expect(q).toMatchObject({ search: 'ana', role: 'SUBACCOUNT_GUEST', admin: false, stripe_connected: true, signed_in_within_days: 30 });
  });
});

describe('loadAllUsers', () => {
  it('follows the next cursors until the last page', async () => {
    const seen: (string | null)[] = [];
    const pages: Record<string, UsersPage> = {
      start: { rows: [row('a'), row('b')], next: 'c-b' },
      'c-b': { rows: [row('c')], next: null },
    };
    const all = await loadAllUsers(toUserQuery(NO_FILTERS, DEFAULT_USER_SORT), async (q: UserQuery) => {
      seen.push(q.after);
      return pages[q.after ?? 'start'];
    });
    expect(all.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(seen).toEqual([null, 'c-b']);
  });
});

describe('nextUserSort', () => {
  it('flips the same column and starts dates newest first', () => {
    expect(nextUserSort({ field: 'name', desc: false }, 'name')).toEqual({ field: 'name', desc: true });
    expect(nextUserSort({ field: 'name', desc: false }, 'email')).toEqual({ field: 'email', desc: false });
    expect(nextUserSort({ field: 'name', desc: false }, 'last_sign_in_at')).toEqual({ field: 'last_sign_in_at', desc: true });
  });
});

describe('chart geometry', () => {
  it('rounds the axis up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 7, 11, 20, 21, 480].map(niceMax)).toEqual([1, 1, 5, 10, 20, 20, 50, 500]);
  });

  it('scales bars to the plot and keeps them inside it', () => {
    const bars = verticalBars([0, 5, 10], 300, 100, 10, 4);
    expect(bars.map((b) => b.height)).toEqual([0, 50, 100]);
    expect(bars.map((b) => b.y)).toEqual([100, 50, 0]);
    expect(bars[2].x + bars[2].width).toBeLessThanOrEqual(300);
    expect(bars[0].width).toBe(96);
  });

  it('labels the first week of each month', () => {
    const monday = Date.UTC(2026, 0, 26); // Monday 26 Jan 2026
    const weeks = [0, 1, 2].map((i) => ({ week_start: monday + i * 7 * 86_400_000, signups: 0 }));
    expect(monthTicks(weeks)).toEqual([{ index: 1, label: 'Feb' }]);
  });
});
