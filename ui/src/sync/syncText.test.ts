// Owns the tests of the sync bar's pure logic: states, words, sign-in advice and conflict rows.
import { describe, expect, it } from 'vitest';
import type { SyncStatus, Waiting } from './api';
import { ago, barState, conflictRows, pendingText, progressText, sawNewEdit, signInAdvice } from './syncText';

const base: SyncStatus = {
  last_synced_at: null,
  last_attempt_at: null,
  pending_changes: 0,
  conflicts: 0,
  rejected: 0,
  last_error: null,
  running: false,
};

describe('barState', () => {
  it('follows sign-in, running and the last error', () => {
    expect(barState(false, false, false, base)).toBe('signed_out');
    expect(barState(true, true, false, base)).toBe('sign_in');
    expect(barState(true, false, true, base)).toBe('syncing');
    expect(barState(true, false, false, base)).toBe('idle');
    const err = (code: string) => ({ ...base, last_error: { code, message: 'm', at: 1 } });
    expect(barState(true, false, false, err('UNREACHABLE'))).toBe('offline');
    expect(barState(true, false, false, err('SIGN_IN_REQUIRED'))).toBe('sign_in');
    expect(barState(true, false, false, err('CANCELLED'))).toBe('idle');
    expect(barState(true, false, false, err('FORBIDDEN'))).toBe('error');
  });
});

describe('words', () => {
  it('says how long ago and how much waits', () => {
    expect(ago(1_000, 20_000)).toBe('just now');
    expect(ago(0, 5 * 60_000)).toBe('5 min ago');
    expect(ago(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(pendingText(0)).toBe('All changes sent');
    expect(pendingText(1)).toBe('1 change waiting');
    expect(pendingText(1200)).toMatch(/^1.200 changes waiting$/);
    expect(progressText(null)).toBe('Syncing…');
    expect(progressText({ store: 's', phase: 'push', done: 5, total: 10 })).toBe('Sending changes… 5 of 10');
    expect(progressText({ store: 's', phase: 'customers', done: 7, total: null })).toBe('Receiving fans… 7');
  });

  it('turns sign-in errors into advice by code', () => {
    expect(signInAdvice({ code: 'SIGN_IN_REQUIRED', message: 'x' }, 'u')).toContain('did not accept this token');
    expect(signInAdvice({ code: 'UNREACHABLE', message: 'x' }, ' http://a.b ')).toContain('Could not reach http://a.b.');
    const keychain = { code: 'KEYCHAIN_UNAVAILABLE', message: 'set FANBASE_DEPLOYMENT and FANBASE_TOKEN' };
    expect(signInAdvice(keychain, 'u')).toBe(keychain.message);
  });

  it('notices a new local edit only when the pending count grows', () => {
    expect(sawNewEdit(null, { ...base, pending_changes: 3 })).toBe(false);
    expect(sawNewEdit(base, { ...base, pending_changes: 1 })).toBe(true);
    expect(sawNewEdit({ ...base, pending_changes: 2 }, { ...base, pending_changes: 1 })).toBe(false);
  });
});

describe('conflictRows', () => {
  const w: Waiting = {
    id: 1,
    store_id: 's',
    contact_id: 2,
    email: 'a@x.co',
    state: 'conflict',
    kind: 'edit',
    mine: { set: { name: 'Ann', score: 5 }, addTags: ['vip'], removeTags: ['old'], delete: false },
    theirs: { name: 'Anne', score: 3, tags: ['old', 'web'] },
    message: 'changed',
    created_at: 0,
  };

  it('lists every field I touched against the platform’s value', () => {
    expect(conflictRows(w)).toEqual([
      { field: 'name', mine: 'Ann', theirs: 'Anne' },
      { field: 'score', mine: '5', theirs: '3' },
      { field: 'tags', mine: '+vip, −old', theirs: 'old, web' },
    ]);
  });

  it('shows a contact deleted on the platform as deleted', () => {
    const gone = { ...w, kind: 'deleted' as const, mine: { set: { name: 'Ann' } }, theirs: { deletedAt: 5 } };
    expect(conflictRows(gone)).toEqual([{ field: 'name', mine: 'Ann', theirs: 'deleted' }]);
  });
});
