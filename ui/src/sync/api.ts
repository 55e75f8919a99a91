// Owns the sync area's IPC contract: sign-in, sync runs with progress, status and conflicts.
import { Channel, invoke } from '@tauri-apps/api/core';
import { toApiError, type ApiError } from '../api';

export interface StoreRef {
  storeId: string;
  name: string;
}

/** `desktop:whoami` as the platform answered it. */
export interface Account {
  userId: string;
  email: string;
  name: string;
  role: string;
  admin: boolean;
  stores: StoreRef[];
}

export interface Session {
  signed_in: boolean;
  deployment: string | null;
  source: 'keychain' | 'environment' | null;
  /** Null when the platform was not asked or could not be reached (see `error`). */
  account: Account | null;
  error: ApiError | null;
}

export interface LastError {
  code: string;
  message: string;
  at: number;
}

export interface SyncStatus {
  last_synced_at: number | null;
  last_attempt_at: number | null;
  pending_changes: number;
  conflicts: number;
  rejected: number;
  last_error: LastError | null;
  running: boolean;
}

export type SyncPhase = 'customers' | 'engagement' | 'users' | 'push';

export interface SyncProgress {
  store: string | null;
  phase: SyncPhase;
  done: number;
  total: number | null;
}

export interface SyncReport {
  pulled: number;
  pushed: number;
  conflicts: number;
  rejected: number;
  users: number;
  events: number;
  stores: string[];
}

/** A change waiting for the user: `mine` is `{set, addTags, removeTags, delete}`, `theirs` the platform's record. */
export interface Waiting {
  id: number;
  store_id: string;
  contact_id: number | null;
  email: string;
  state: 'conflict' | 'rejected';
  kind: 'edit' | 'deleted' | 'rejected';
  mine: { set?: Record<string, unknown>; addTags?: string[]; removeTags?: string[]; delete?: boolean };
  theirs: Record<string, unknown> | null;
  message: string;
  created_at: number;
}

export type Keep = 'mine' | 'theirs';

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (err) {
    throw toApiError(err);
  }
}

/** The window's sign-in; with `check`, asks the platform who we are. */
export const syncSession = (check: boolean) => call<Session>('sync_session', { check });

export const syncSignIn = (deployment: string, token: string) => call<Session>('sync_sign_in', { deployment, token });

export const syncSignOut = () => call<void>('sync_sign_out');

/** One full sync; progress arrives on `onProgress`. Rejects with `SYNC_RUNNING` if one runs. */
export function syncRun(onProgress: (p: SyncProgress) => void): Promise<SyncReport> {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return call<SyncReport>('sync_run', { onProgress: channel });
}

export const syncCancel = () => call<boolean>('sync_cancel');

export const syncStatus = () => call<SyncStatus>('sync_status');

export const syncConflicts = () => call<Waiting[]>('sync_conflicts');

export const syncResolve = (id: number, keep: Keep) => call<void>('sync_resolve', { id, keep });

export const syncDismiss = (id: number) => call<void>('sync_dismiss', { id });
