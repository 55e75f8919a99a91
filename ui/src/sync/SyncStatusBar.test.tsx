// Owns the tests of the status bar with a mocked sync api: signed-out sign-in with a wrong token,
// a run's numbers, a revoked token asking to sign in again, and keep mine in the conflicts panel.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session, SyncReport, SyncStatus, Waiting } from './api';

const signedIn: Session = {
  signed_in: true,
  deployment: 'http://127.0.0.1:9',
  source: 'keychain',
  account: { userId: 'u1', email: 'me@x.co', name: 'Me', role: 'creator', admin: false, stores: [] },
  error: null,
};
const report: SyncReport = { pulled: 3, pushed: 0, conflicts: 0, rejected: 0, users: 0, events: 0, stores: ['s1'] };

const state = {
  session: { ...signedIn, signed_in: false, deployment: null, source: null, account: null } as Session,
  status: {
    last_synced_at: null,
    last_attempt_at: null,
    pending_changes: 0,
    conflicts: 0,
    rejected: 0,
    last_error: null,
    running: false,
  } as SyncStatus,
  run: vi.fn(async (_onProgress?: (p: unknown) => void): Promise<SyncReport> => report),
  signIn: vi.fn(async (_d: string, _t: string): Promise<Session> => signedIn),
  conflicts: [] as Waiting[],
  resolved: [] as [number, string][],
};

vi.mock('./api', () => ({
  syncSession: async () => state.session,
  syncStatus: async () => state.status,
  syncRun: (onProgress: (p: unknown) => void) => state.run(onProgress),
  syncSignIn: (d: string, t: string) => state.signIn(d, t),
  syncSignOut: async () => undefined,
  syncCancel: async () => true,
  syncConflicts: async () => state.conflicts,
  syncResolve: async (id: number, keep: string) => {
    state.resolved.push([id, keep]);
    state.conflicts = [];
  },
  syncDismiss: async () => undefined,
}));

const { SyncStatusBar } = await import('./SyncStatusBar');

beforeEach(() => {
  state.session = { ...signedIn, signed_in: false, deployment: null, source: null, account: null };
  state.status = { ...state.status, pending_changes: 0, conflicts: 0, last_error: null, last_synced_at: null };
  state.run = vi.fn(async () => report);
  state.signIn = vi.fn(async () => signedIn);
  state.resolved = [];
});
afterEach(cleanup);

describe('SyncStatusBar', () => {
  it('signs in: a wrong token gets clear advice, a right one syncs and reloads the data', async () => {
    state.signIn = vi.fn(async () => {
      throw { code: 'SIGN_IN_REQUIRED', message: 'refused' };
    });
    const onDataChanged = vi.fn();
    render(<SyncStatusBar onError={vi.fn()} onDataChanged={onDataChanged} />);
    fireEvent.click(await screen.findByTestId('sync-sign-in'));
    fireEvent.change(screen.getByTestId('signin-deployment'), { target: { value: 'http://127.0.0.1:9' } });
    fireEvent.change(screen.getByTestId('signin-token'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    const error = await screen.findByTestId('signin-error');
    expect(error.getAttribute('data-code')).toBe('SIGN_IN_REQUIRED');
    expect(error.textContent).toContain('did not accept this token');
    expect(state.run).not.toHaveBeenCalled();

    state.signIn = vi.fn(async () => signedIn);
    fireEvent.change(screen.getByTestId('signin-token'), { target: { value: 'good' } });
    fireEvent.click(screen.getByTestId('signin-submit'));
    await waitFor(() => expect(screen.queryByTestId('signin-dialog')).toBeNull());
    expect(state.signIn).toHaveBeenCalledWith('http://127.0.0.1:9', 'good');
    await waitFor(() => expect(state.run).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(onDataChanged).toHaveBeenCalledTimes(2), { timeout: 3000 });
    expect((await screen.findByTestId('sync-account')).textContent).toContain('me@x.co');
  });

  it('a revoked token asks to sign in again and says the pending edits are kept', async () => {
    state.session = signedIn;
    state.status = { ...state.status, pending_changes: 2 };
    state.run = vi.fn(async () => {
      throw { code: 'SIGN_IN_REQUIRED', message: 'revoked' };
    });
    render(<SyncStatusBar onError={vi.fn()} onDataChanged={vi.fn()} />);
    const reason = await screen.findByTestId('signin-reason');
    expect(reason.textContent).toContain('2 changes waiting');
    expect((screen.getByTestId('signin-deployment') as HTMLInputElement).value).toBe('http://127.0.0.1:9');
    expect(screen.getByTestId('sync-bar').getAttribute('data-state')).toBe('sign_in');
  });

  it('shows progress and never starts a second run while one is going', async () => {
    state.session = signedIn;
    let finish: (r: SyncReport) => void = () => undefined;
    state.run = vi.fn(
      (onProgress?: (p: unknown) => void) =>
        new Promise<SyncReport>((resolve) => {
          finish = resolve;
          onProgress?.({ store: 's1', phase: 'customers', done: 7, total: null });
        }),
    );
    render(<SyncStatusBar onError={vi.fn()} onDataChanged={vi.fn()} />);
    await screen.findByTestId('sync-cancel');
    expect((await screen.findByTestId('sync-state')).textContent).toBe('Receiving fans… 7');
    expect(screen.queryByTestId('sync-now')).toBeNull();
    await act(async () => finish(report));
    fireEvent.click(await screen.findByTestId('sync-now'));
    await waitFor(() => expect(state.run).toHaveBeenCalledTimes(2));
  });

  it('lists a conflict field by field and keeps mine', async () => {
    state.session = signedIn;
    state.status = { ...state.status, conflicts: 1 };
    state.conflicts = [
      {
        id: 7,
        store_id: 's1',
        contact_id: 1,
        email: 'fan@x.co',
        state: 'conflict',
        kind: 'edit',
        mine: { set: { name: 'Mine' } },
        theirs: { name: 'Theirs' },
        message: 'changed on the web',
        created_at: 0,
      },
    ];
    render(<SyncStatusBar onError={vi.fn()} onDataChanged={vi.fn()} />);
    fireEvent.click(await screen.findByTestId('sync-conflicts'));
    expect((await screen.findByTestId('conflict-mine')).textContent).toBe('Mine');
    expect(screen.getByTestId('conflict-theirs').textContent).toBe('Theirs');
    fireEvent.click(screen.getByTestId('conflict-keep-mine'));
    await screen.findByTestId('conflicts-empty');
    expect(state.resolved).toEqual([[7, 'mine']]);
  });
});
