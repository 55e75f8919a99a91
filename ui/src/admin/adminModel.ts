// Owns the admin area's pure logic: role names, filters → query, loading every page of a query, sort toggling and chart geometry.
import type { Role, UserQuery, UserRow, UsersPage, UserSort, UserSortField, WeekCount } from './api';

export const ROLES: { value: Role; label: string }[] = [
  { value: 'AGENCY_OWNER', label: 'Owner' },
  { value: 'AGENCY_ADMIN', label: 'Admin' },
  { value: 'SUBACCOUNT_USER', label: 'User' },
  { value: 'SUBACCOUNT_GUEST', label: 'Guest' },
];

export function roleLabel(role: Role): string {
  return ROLES.find((r) => r.value === role)?.label ?? role;
}

/** A yes/no/any filter. */
export type Tri = 'any' | 'yes' | 'no';

export interface UserFilters {
  search: string;
  role: Role | 'any';
  admin: Tri;
  stripe: Tri;
  /** 0 = any time. */
  signedInDays: number;
}

export const NO_FILTERS: UserFilters = { search: '', role: 'any', admin: 'any', stripe: 'any', signedInDays: 0 };

export const DEFAULT_USER_SORT: UserSort = { field: 'created_at', desc: true };

export const SIGNED_IN_CHOICES = [0, 1, 7, 30, 90];

/** The most rows one page call returns. */
export const PAGE_LIMIT = 1000;

function tri(t: Tri): boolean | null {
  return t === 'any' ? null : t === 'yes';
}

export function toUserQuery(f: UserFilters, sort: UserSort): UserQuery {
  return {
    search: f.search.trim(),
    role: f.role === 'any' ? null : f.role,
    admin: tri(f.admin),
    stripe_connected: tri(f.stripe),
    signed_in_within_days: f.signedInDays > 0 ? f.signedInDays : null,
    sort,
    after: null,
    limit: PAGE_LIMIT,
  };
}

export function isFiltered(f: UserFilters): boolean {
  return f.search.trim() !== '' || f.role !== 'any' || f.admin !== 'any' || f.stripe !== 'any' || f.signedInDays > 0;
}

/** Every row of `query`, page after page (keyset cursors, never an offset). */
export async function loadAllUsers(
  query: UserQuery,
  page: (q: UserQuery) => Promise<UsersPage>,
): Promise<UserRow[]> {
  const rows: UserRow[] = [];
  let after: string | null = null;
  for (;;) {
    const got: UsersPage = await page({ ...query, after });
    rows.push(...got.rows);
    if (got.next === null || got.rows.length === 0) return rows;
    after = got.next;
  }
}

/** Clicking a header: the same column flips direction; a new column starts ascending (dates descending). */
export function nextUserSort(current: UserSort, field: UserSortField): UserSort {
  if (current.field === field) return { field, desc: !current.desc };
  return { field, desc: field === 'created_at' || field === 'last_sign_in_at' || field === 'fan_stores' };
}

/** A round axis maximum at or above `max` (1, 2, 5 × 10^n), so gridlines land on plain numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * power >= max) return step * power;
  }
  return 10 * power;
}

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Vertical bars for `values` in a `width` × `height` plot, `gap` px between bars, scaled to `max`. */
export function verticalBars(values: number[], width: number, height: number, max: number, gap = 3): Bar[] {
  if (values.length === 0) return [];
  const slot = width / values.length;
  const barWidth = Math.max(1, slot - gap);
  return values.map((v, i) => {
    const h = max > 0 ? (Math.max(0, v) / max) * height : 0;
    return { x: i * slot + gap / 2, y: height - h, width: barWidth, height: h };
  });
}

const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'short', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** Indexes of the weeks where a new month starts (axis labels), with the month's short name. */
export function monthTicks(weeks: WeekCount[]): { index: number; label: string }[] {
  const out: { index: number; label: string }[] = [];
  let last = -1;
  weeks.forEach((w, i) => {
    const month = new Date(w.week_start).getUTCMonth();
    if (month !== last) {
      if (i > 0 || new Date(w.week_start).getUTCDate() <= 7) out.push({ index: i, label: monthFormat.format(w.week_start) });
      last = month;
    }
  });
  return out;
}

/** "Week of Oct 6". */
export function weekLabel(weekStart: number): string {
  return `Week of ${dayFormat.format(weekStart)}`;
}

/** "just now", "5 min ago", "3 h ago", a date beyond a day. */
export function ago(ms: number, now: number): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' }).format(ms);
}
