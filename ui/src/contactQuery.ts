// Owns the contacts view's query state: the filters the user set, how they become the domain's ContactFilter, the filter chips, and sort toggling.
import type { ContactFilter, ContactStatus, ContactType, Sort, SortField } from './api';
import { formatNumber, typeLabel } from './format';

/** The filters set in the window (the search text is kept apart: it is debounced). */
export interface FilterState {
  type: ContactType[];
  status: ContactStatus[];
  /** null = any. */
  hasAccount: boolean | null;
  tag: string[];
  daw: string[];
  genre: string[];
  level: string[];
  scoreMin: number | null;
  scoreMax: number | null;
  /** Also list registered users who have no fan record in this store. */
  includeUsers: boolean;
}

export const EMPTY_FILTERS: FilterState = {
  type: [],
  status: [],
  hasAccount: null,
  tag: [],
  daw: [],
  genre: [],
  level: [],
  scoreMin: null,
  scoreMax: null,
  includeUsers: false,
};

export const DEFAULT_SORT: Sort = { field: 'email', desc: false };

export const TYPE_OPTIONS: ContactType[] = ['lead', 'paying', 'subscription'];
export const STATUS_OPTIONS: ContactStatus[] = ['active', 'unsubscribed', 'bounced', 'complained'];

/** The domain filter for these filters and search text; unset parts are left out. */
export function toContactFilter(f: FilterState, search: string): ContactFilter {
  const out: ContactFilter = {};
  if (search.trim() !== '') out.search = search;
  if (f.type.length > 0) out.type = f.type;
  if (f.status.length > 0) out.status = f.status;
  if (f.hasAccount !== null) out.has_account = f.hasAccount;
  if (f.tag.length > 0) out.tag = f.tag;
  if (f.daw.length > 0) out.daw = f.daw;
  if (f.genre.length > 0) out.type_of_music = f.genre;
  if (f.level.length > 0) out.student_level = f.level;
  if (f.scoreMin !== null) out.score_min = f.scoreMin;
  if (f.scoreMax !== null) out.score_max = f.scoreMax;
  if (f.includeUsers) out.include_users = true;
  return out;
}

/** True when the filter shows every fan (nothing searched or filtered; users may be included). */
export function isUnfiltered(filter: ContactFilter): boolean {
  return Object.keys(filter).every((k) => k === 'include_users');
}

/** An active filter shown as a removable chip. */
export interface FilterChip {
  id: string;
  label: string;
}

const LIST_FIELDS = [
  ['type', 'Type'],
  ['status', 'Status'],
  ['tag', 'Tag'],
  ['daw', 'DAW'],
  ['genre', 'Genre'],
  ['level', 'Level'],
] as const;

type ListField = (typeof LIST_FIELDS)[number][0];

function valueLabel(field: ListField, value: string): string {
  if (field === 'type') return typeLabel(value);
  if (field === 'status') return value.charAt(0).toUpperCase() + value.slice(1);
  return value;
}

/** One chip per value of each list filter, then account and score. */
export function filterChips(f: FilterState): FilterChip[] {
  const chips: FilterChip[] = [];
  for (const [field, name] of LIST_FIELDS) {
    for (const v of f[field] as string[]) chips.push({ id: `${field}:${v}`, label: `${name}: ${valueLabel(field, v)}` });
  }
  if (f.hasAccount !== null) chips.push({ id: 'account', label: f.hasAccount ? 'Has account' : 'No account' });
  if (f.scoreMin !== null || f.scoreMax !== null) {
    const label =
      f.scoreMin !== null && f.scoreMax !== null
        ? `Score ${formatNumber(f.scoreMin)}–${formatNumber(f.scoreMax)}`
        : f.scoreMin !== null
          ? `Score ≥ ${formatNumber(f.scoreMin)}`
          : `Score ≤ ${formatNumber(f.scoreMax as number)}`;
    chips.push({ id: 'score', label });
  }
  return chips;
}

/** The filters without the one a chip stands for. */
export function removeChip(f: FilterState, id: string): FilterState {
  if (id === 'account') return { ...f, hasAccount: null };
  if (id === 'score') return { ...f, scoreMin: null, scoreMax: null };
  const sep = id.indexOf(':');
  const field = id.slice(0, sep) as ListField;
  const value = id.slice(sep + 1);
  if (!LIST_FIELDS.some(([k]) => k === field)) return f;
  return { ...f, [field]: (f[field] as string[]).filter((v) => v !== value) };
}

/** Adds `value` to a list filter, or takes it away when it is already there. */
export function toggleValue<K extends ListField>(f: FilterState, field: K, value: FilterState[K][number]): FilterState {
  const list = f[field] as string[];
  const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return { ...f, [field]: next };
}

/** Clicking a header: the same column flips direction, another column starts ascending. */
export function nextSort(current: Sort, field: SortField): Sort {
  return current.field === field ? { field, desc: !current.desc } : { field, desc: false };
}

/** `aria-sort` of a column header. */
export function ariaSort(current: Sort, field: SortField | undefined): 'ascending' | 'descending' | 'none' | undefined {
  if (field === undefined) return undefined;
  if (current.field !== field) return 'none';
  return current.desc ? 'descending' : 'ascending';
}

/** Parses a score box: blank = unset, otherwise a whole number (anything else = unset). */
export function parseScore(text: string): number | null {
  const t = text.trim();
  if (t === '' || !/^-?\d+$/.test(t)) return null;
  return Number(t);
}

/** Splits "Ableton, FL Studio" into trimmed, distinct, non-empty values. */
export function parseList(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(',')) {
    const v = part.trim();
    if (v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}
