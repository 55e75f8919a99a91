// Owns the sync area's pure logic: the bar's state, its words, sign-in error advice, and the
// field-by-field rows of a conflict. No React, no IPC: unit-tested on its own.
import type { ApiError } from '../api';
import { formatNumber } from '../format';
import type { SyncProgress, SyncStatus, Waiting } from './api';

/** Codes that mean the platform no longer accepts the sign-in. */
export const SIGN_IN_CODES = new Set(['SIGN_IN_REQUIRED', 'NOT_SIGNED_IN']);
export const CODE_UNREACHABLE = 'UNREACHABLE';
export const CODE_RUNNING = 'SYNC_RUNNING';
export const CODE_CANCELLED = 'CANCELLED';

export type BarState = 'signed_out' | 'sign_in' | 'syncing' | 'offline' | 'error' | 'idle';

/** What the bar shows, from the last known status and whether the sign-in still holds. */
export function barState(signedIn: boolean, needsSignIn: boolean, running: boolean, status: SyncStatus | null): BarState {
  if (!signedIn) return 'signed_out';
  if (needsSignIn) return 'sign_in';
  if (running) return 'syncing';
  const code = status?.last_error?.code;
  if (code === undefined || code === CODE_CANCELLED) return 'idle';
  if (SIGN_IN_CODES.has(code)) return 'sign_in';
  if (code === CODE_UNREACHABLE) return 'offline';
  return 'error';
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h ago`;
  return new Date(at).toLocaleDateString();
}

export function lastSyncedText(status: SyncStatus | null, now: number): string {
  if (status?.last_synced_at == null) return 'Never synced';
  return `Synced ${ago(status.last_synced_at, now)}`;
}

export function pendingText(n: number): string {
  if (n === 0) return 'All changes sent';
  return n === 1 ? '1 change waiting' : `${formatNumber(n)} changes waiting`;
}

const PHASE_WORDS: Record<SyncProgress['phase'], string> = {
  customers: 'Receiving fans',
  engagement: 'Receiving engagement',
  users: 'Receiving users',
  push: 'Sending changes',
};

export function progressText(p: SyncProgress | null): string {
  if (p === null) return 'Syncing…';
  const count = p.total === null ? formatNumber(p.done) : `${formatNumber(p.done)} of ${formatNumber(p.total)}`;
  return `${PHASE_WORDS[p.phase]}… ${count}`;
}

/** What to tell the user when sign-in fails, by code (messages from Rust are kept as detail). */
export function signInAdvice(error: ApiError, deployment: string): string {
  switch (error.code) {
    case 'SIGN_IN_REQUIRED':
      return 'The platform did not accept this token. Copy the desktop token again from the platform’s settings page (the whole text) and paste it here.';
    case 'UNREACHABLE':
      return `Could not reach ${deployment.trim() || 'the platform'}. Check the deployment URL and your connection, then try again.`;
    case 'INVALID_DEPLOYMENT':
      return 'The deployment URL is not valid: give the full address, starting with https://';
    case 'NOT_SIGNED_IN':
      return 'Paste your desktop token.';
    case 'PLATFORM_MALFORMED':
    case 'NOT_FOUND':
      return `The address ${deployment.trim()} answered, but not as a Fanbase platform. Check the deployment URL.`;
    default:
      // KEYCHAIN_UNAVAILABLE and others: the message already says what to do (and names
      // FANBASE_DEPLOYMENT / FANBASE_TOKEN when no keychain can be reached).
      return error.message;
  }
}

/** One row of a conflict: a field, my value and the platform's. */
export interface ConflictRow {
  field: string;
  mine: string;
  theirs: string;
}

function show(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(String).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** My change against the platform's record, one row per field I touched. */
export function conflictRows(w: Waiting): ConflictRow[] {
  const theirs = w.theirs ?? {};
  const deletedThere = theirs.deletedAt !== undefined && theirs.deletedAt !== null;
  const rows: ConflictRow[] = [];
  if (w.mine.delete) rows.push({ field: 'contact', mine: 'deleted', theirs: deletedThere ? 'deleted' : 'kept' });
  for (const [field, value] of Object.entries(w.mine.set ?? {})) {
    rows.push({ field, mine: show(value), theirs: deletedThere ? 'deleted' : show(theirs[field]) });
  }
  const add = w.mine.addTags ?? [];
  const remove = w.mine.removeTags ?? [];
  if (add.length > 0 || remove.length > 0) {
    const mine = [...add.map((t) => `+${t}`), ...remove.map((t) => `−${t}`)].join(', ');
    rows.push({ field: 'tags', mine, theirs: deletedThere ? 'deleted' : show(theirs.tags) });
  }
  if (rows.length === 0) rows.push({ field: 'contact', mine: 'changed', theirs: deletedThere ? 'deleted' : 'changed' });
  return rows;
}

/** Whether a status poll saw a new local edit (so a sync should follow shortly). */
export function sawNewEdit(before: SyncStatus | null, after: SyncStatus): boolean {
  return before !== null && after.pending_changes > before.pending_changes;
}
