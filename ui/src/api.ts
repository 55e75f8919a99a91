// Owns the IPC contract with the Rust side: its types and the only calls to `invoke`.
import { invoke } from '@tauri-apps/api/core';

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
}

/** Arguments of `contacts_page` (keyset pagination; there is no offset). */
export interface PageRequest {
  after: string | null;
  before: string | null;
  fromEnd: boolean;
  limit: number;
}

export interface ContactsPage {
  rows: ContactRow[];
  next: string | null;
  prev: string | null;
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

export function contactsCount(storeId: string): Promise<number> {
  return call<number>('contacts_count', { storeId });
}

export function contactsPage(storeId: string, req: PageRequest): Promise<ContactsPage> {
  return call<ContactsPage>('contacts_page', {
    storeId,
    after: req.after,
    before: req.before,
    fromEnd: req.fromEnd,
    limit: req.limit,
  });
}

export function demoLoad(storeId: string, rows: number): Promise<number> {
  return call<number>('demo_load', { storeId, rows });
}
