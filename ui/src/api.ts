// Owns the IPC contract of the contacts, tags and import areas: their types and calls to `invoke` (each other area has its own <area>/api.ts).
import { Channel, invoke } from '@tauri-apps/api/core';

export interface Store {
  id: string;
  name: string;
  contacts: number;
}

export type ContactType = 'lead' | 'paying' | 'subscription';
export type ContactStatus = 'active' | 'unsubscribed' | 'bounced' | 'complained';

export interface ContactRow {
  id: number;
  cursor: string;
  email: string;
  name: string;
  type: ContactType;
  status: ContactStatus;
  tags: string[];
  score: number;
  daw: string;
  type_of_music: string;
  student_level: string;
  /** Milliseconds since the epoch, or null when the fan never opened an email. */
  last_open_date: number | null;
  /** Currency units. */
  total_spent: number;
  has_account: boolean;
  /** Lead/paying/subscriber from `type`, and registered_user when a platform account has this email. */
  badges?: ContactBadge[];
  /** False for a registered user without a fan record (unified view only; cannot be edited or tagged). */
  fan?: boolean;
  user_id?: string | null;
}

export type ContactBadge = 'lead' | 'paying' | 'subscriber' | 'registered_user';

/** A sortable column (snake_case, as the domain names them). */
export type SortField =
  | 'email'
  | 'name'
  | 'type'
  | 'status'
  | 'score'
  | 'daw'
  | 'type_of_music'
  | 'student_level'
  | 'last_open_date'
  | 'created_at'
  | 'total_spent';

export interface Sort {
  field: SortField;
  desc: boolean;
}

/** What the contacts view shows; empty lists and absent values do not filter. */
export interface ContactFilter {
  search?: string;
  type?: ContactType[];
  status?: ContactStatus[];
  has_account?: boolean;
  tag?: string[];
  daw?: string[];
  type_of_music?: string[];
  student_level?: string[];
  score_min?: number;
  score_max?: number;
  include_users?: boolean;
  /** The name of a saved or built-in segment: only its fans are shown (ANDed with the rest). */
  segment?: string;
}

/** Sort and filter of a contacts query. */
export interface ContactsQuery {
  sort: Sort;
  filter: ContactFilter;
}

/** One fan with every stored field (the drawer). */
export interface Contact {
  id: number;
  email: string;
  name: string;
  first_name: string;
  last_name: string;
  type: ContactType;
  status: ContactStatus;
  source: string;
  score: number;
  daw: string;
  type_of_music: string;
  student_level: string;
  phone: string;
  opens_email: boolean;
  clicks_links: boolean;
  last_open_date: number | null;
  total_spent: number;
  total_spent_cents: number;
  tags: string[];
  custom: Record<string, unknown>;
  created_at: number;
  updated_at: number;
  remote_id: string | null;
}

export interface Conversion {
  fans: number;
  with_account: number;
  rate: number;
}

export interface Edited {
  id: number;
  changed: string[];
  change_id: string | null;
}

export interface TagCount {
  name: string;
  count: number;
}

/** Which contacts a tag change applies to. */
export type TagTarget = { ids: number[] } | { emails: string[] } | { matching: ContactFilter };

export interface Tagged {
  tag: string;
  changed: number;
  not_found: string[];
}

export interface Renamed {
  from: string;
  to: string;
  contacts: number;
}

export interface Deleted {
  deletion_id: number;
  tag: string;
  contacts: number;
}

/** Arguments of `contacts_page` (keyset pagination). */
export interface PageRequest {
  after: string | null;
  before: string | null;
  fromEnd: boolean;
  limit: number;
  /** Only the cursors and the number of rows (`skipped`): for walking past rows far off screen. */
  cursorsOnly?: boolean;
  /** Start at this position of the unfiltered list instead of a cursor (one seek, no walk). */
  offset?: number;
}

export interface ContactsPage {
  rows: ContactRow[];
  next: string | null;
  prev: string | null;
  /** With `cursorsOnly`: how many rows the page held (`rows` is then empty). */
  skipped?: number;
}

/** The shape every rejected call is normalised to. Branch on `code`, show `message`. */
export interface ApiError {
  code: string;
  message: string;
}

/** Codes produced on this side when the failure did not come from Rust. */
export const LOCAL_ERROR_CODES = {
  noBackend: 'no_backend',
  unknown: 'unknown',
} as const;

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiError).code === 'string' &&
    typeof (value as ApiError).message === 'string'
  );
}

export function toApiError(value: unknown): ApiError {
  if (isApiError(value)) return { code: value.code, message: value.message };
  if (typeof value === 'string') return { code: LOCAL_ERROR_CODES.unknown, message: value };
  if (value instanceof Error) {
    // Outside the Tauri webview (plain browser) there is no IPC bridge at all.
    const noBridge =
      typeof window !== 'undefined' &&
      !(window as unknown as { __TAURI_INTERNALS__?: unknown }).__TAURI_INTERNALS__;
    return {
      code: noBridge ? LOCAL_ERROR_CODES.noBackend : LOCAL_ERROR_CODES.unknown,
      message: noBridge ? 'The Fanbase backend is not available.' : value.message,
    };
  }
  return { code: LOCAL_ERROR_CODES.unknown, message: 'Something went wrong.' };
}

async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (err) {
    throw toApiError(err);
  }
}

export function storesList(): Promise<Store[]> {
  return call<Store[]>('stores_list', {});
}

export function storesAdd(id: string, name: string): Promise<Store> {
  return call<Store>('stores_add', { id, name });
}

/** The store's exact fan count, or the exact number of rows `filter` shows. */
export function contactsCount(storeId: string, filter?: ContactFilter): Promise<number> {
  return call<number>('contacts_count', filter === undefined ? { storeId } : { storeId, filter });
}

export function contactsPage(storeId: string, req: PageRequest, query?: ContactsQuery): Promise<ContactsPage> {
  return call<ContactsPage>('contacts_page', {
    storeId,
    after: req.after,
    before: req.before,
    fromEnd: req.fromEnd,
    limit: req.limit,
    cursorsOnly: req.cursorsOnly === true,
    ...(req.offset === undefined ? {} : { offset: req.offset }),
    ...(query === undefined ? {} : { sort: query.sort, filter: query.filter }),
  });
}

export function contactsConversion(storeId: string): Promise<Conversion> {
  return call<Conversion>('contacts_conversion', { storeId });
}

export function contactShow(storeId: string, email: string): Promise<Contact | null> {
  return call<Contact | null>('contact_show', { storeId, email });
}

export function contactSetFields(storeId: string, id: number, fields: Record<string, unknown>): Promise<Edited> {
  return call<Edited>('contact_set_fields', { storeId, id, fields });
}

export function tagsList(storeId: string): Promise<TagCount[]> {
  return call<TagCount[]>('tags_list', { storeId });
}

export function tagsAdd(storeId: string, tag: string, target: TagTarget): Promise<Tagged> {
  return call<Tagged>('tags_add', { storeId, tag, target });
}

export function tagsRemove(storeId: string, tag: string, target: TagTarget): Promise<Tagged> {
  return call<Tagged>('tags_remove', { storeId, tag, target });
}

export function tagsRename(storeId: string, from: string, to: string): Promise<Renamed> {
  return call<Renamed>('tags_rename', { storeId, from, to });
}

export function tagsMerge(storeId: string, from: string, into: string): Promise<Renamed> {
  return call<Renamed>('tags_merge', { storeId, from, into });
}

export function tagsDelete(storeId: string, tag: string): Promise<Deleted> {
  return call<Deleted>('tags_delete', { storeId, tag });
}

export function tagsUndoDelete(storeId: string, deletionId: number | null): Promise<Tagged> {
  return call<Tagged>('tags_undo_delete', { storeId, deletionId });
}

export function demoLoad(storeId: string, rows: number): Promise<number> {
  return call<number>('demo_load', { storeId, rows });
}

// ---- CSV import (src-tauri/src/commands/import.rs over crates/fanbase-import) ----

/** What an existing contact gets from the file. */
export type OnExisting = 'fill-empty' | 'overwrite' | 'skip';

/** A column mapped by hand: `target` is one of `importTargets()`. */
export interface MapOverride {
  header: string;
  target: string;
}

export interface ImportOptions {
  dry_run: boolean;
  on_existing: OnExisting;
  map: MapOverride[];
  tags: string[];
}

/** The head of a file, before anything is written. */
export interface ImportPreview {
  file_name: string;
  size_bytes: number;
  /** 'activecampaign' | 'mailchimp' | 'kit' | 'mautic' | 'listmonk' | 'fanbase' | 'csv'. */
  format: string;
  /** 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252'. */
  encoding: string;
  delimiter: string;
  headers: string[];
  mapping: { header: string; target: string }[];
  sample_rows: { line: number; cells: string[]; rejected: string | null }[];
}

/** How the rows of a file ended: the five outcomes add up to `rows_read`. */
export interface ImportCounts {
  rows_read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicates_in_file: number;
  rejected: number;
}

export interface ImportRejection {
  line: number;
  column: string | null;
  reason: string;
}

export interface ImportReport extends ImportCounts {
  /** The saved report's id; null for a dry run. */
  id: number | null;
  store_id: string;
  file_name: string;
  dry_run: boolean;
  format: string;
  encoding: string;
  delimiter: string;
  /** The first 10,000 rejected rows (the saved report keeps all). */
  errors: ImportRejection[];
  warnings: string[];
  started_at: number;
  elapsed_ms: number;
}

export interface ImportProgress extends ImportCounts {
  phase: 'reading' | 'finishing';
  bytes_read: number;
  total_bytes: number;
  elapsed_ms: number;
}

/** Whether the test-only path field is shown (the app runs with FANBASE_E2E=1). */
export function importE2eEnabled(): Promise<boolean> {
  return call<boolean>('import_e2e_enabled', {});
}

export function importTargets(): Promise<string[]> {
  return call<string[]>('import_targets', {});
}

export function importInspect(path: string, map: MapOverride[]): Promise<ImportPreview> {
  return call<ImportPreview>('import_inspect', { path, map });
}

/** The file's header row, also when no column is recognised as the email. */
export function importHeaders(path: string): Promise<string[]> {
  return call<string[]>('import_headers', { path });
}

/** Runs an import (or a dry run); `onProgress` gets a message after each batch of rows. */
export function importRun(
  job: number,
  storeId: string,
  path: string,
  options: ImportOptions,
  onProgress: (p: ImportProgress) => void,
): Promise<ImportReport> {
  const channel = new Channel<ImportProgress>();
  channel.onmessage = onProgress;
  return call<ImportReport>('import_run', { job, storeId, path, options, onProgress: channel });
}

/** Asks a running import to stop; it then fails with code CANCELLED and nothing is written. */
export function importCancel(job: number): Promise<boolean> {
  return call<boolean>('import_cancel', { job });
}

/** Saves the rejected rows of a saved report as CSV; resolves to the number of rows written. */
export function importSaveRejected(reportId: number, path: string): Promise<number> {
  return call<number>('import_save_rejected', { reportId, path });
}
