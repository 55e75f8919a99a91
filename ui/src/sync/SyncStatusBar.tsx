// Owns the status bar at the foot of the window: the signed-in account, last synced, pending
// edits, conflicts, offline/error state, "Sync now" with progress and cancel, sign-in and sign-out.
import { useEffect, useState } from 'react';
import type { ApiError } from '../api';
import { Button, Dialog } from '../components';
import { formatNumber } from '../format';
import { ConflictsPanel } from './ConflictsPanel';
import { SignInDialog } from './SignInDialog';
import { barState, lastSyncedText, pendingText, progressText } from './syncText';
import { useSyncEngine } from './useSyncEngine';
import './sync.css';

export interface SyncStatusBarProps {
  onError: (error: ApiError) => void;
  /** Called after a sync changed local data, so counts and tables reload. */
  onDataChanged: () => void;
}

const STATE_WORDS = {
  signed_out: 'Not signed in',
  sign_in: 'Sign-in expired',
  syncing: 'Syncing',
  offline: 'Offline',
  error: 'Sync failed',
  idle: 'Up to date',
} as const;

export function SyncStatusBar({ onError, onDataChanged }: SyncStatusBarProps) {
  const engine = useSyncEngine(onDataChanged, onError);
  const { session, status, running, progress, needsSignIn, runError } = engine;
  const [signInOpen, setSignInOpen] = useState(false);
  const [confirmSignOut, setConfirmSignOut] = useState(false);
  const [conflictsOpen, setConflictsOpen] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);

  // An expired or revoked token asks to sign in again (once per refusal).
  useEffect(() => {
    if (needsSignIn) setSignInOpen(true);
  }, [needsSignIn]);

  const signedIn = session?.signed_in === true;
  const state = barState(signedIn, needsSignIn, running, status);
  const pending = status?.pending_changes ?? 0;
  const waiting = (status?.conflicts ?? 0) + (status?.rejected ?? 0);
  const account = session?.account;
  const who = account ? (account.email !== '' ? account.email : account.name) : (session?.deployment ?? '');
  const error = runError ?? status?.last_error ?? null;

  return (
    <footer className="sync-bar" data-testid="sync-bar" data-state={state} aria-label="Sync status">
      <span className={`sync-dot sync-dot-${state}`} aria-hidden="true" />
      <span className="sync-state" data-testid="sync-state" data-state={state} title={state === 'error' || state === 'offline' ? error?.message : undefined}>
        {state === 'syncing' ? progressText(progress) : STATE_WORDS[state]}
      </span>
      {(state === 'offline' || state === 'error') && error !== null && (
        <span className="sync-error" data-testid="sync-error" data-code={error.code}>
          {state === 'offline' ? 'The platform cannot be reached; your edits are kept and sent later.' : error.message}
        </span>
      )}
      {signedIn && (
        <span className="sync-last" data-testid="sync-last" data-synced-at={status?.last_synced_at ?? ''}>
          {lastSyncedText(status, now)}
        </span>
      )}
      <span className="sync-pending" data-testid="sync-pending" data-count={pending}>
        {pendingText(pending)}
      </span>
      {waiting > 0 && (
        <Button variant="ghost" className="sync-conflicts" data-testid="sync-conflicts" data-count={waiting} onClick={() => setConflictsOpen(true)}>
          {waiting === 1 ? '1 conflict' : `${formatNumber(waiting)} conflicts`} — review
        </Button>
      )}
      <span className="spacer" />
      {signedIn && (
        <span className="sync-account" data-testid="sync-account" data-email={account?.email ?? ''} title={session?.deployment ?? undefined}>
          {who}
          {session?.source === 'environment' ? ' (from environment)' : ''}
        </span>
      )}
      {!signedIn || needsSignIn ? (
        <Button variant="primary" data-testid="sync-sign-in" onClick={() => setSignInOpen(true)}>
          Sign in
        </Button>
      ) : running ? (
        <Button data-testid="sync-cancel" onClick={engine.cancel}>
          Cancel sync
        </Button>
      ) : (
        <Button data-testid="sync-now" onClick={() => void engine.syncNow()}>
          Sync now
        </Button>
      )}
      {signedIn && (
        <Button variant="ghost" data-testid="sync-sign-out" onClick={() => setConfirmSignOut(true)}>
          Sign out
        </Button>
      )}

      {signInOpen && (
        <SignInDialog
          deployment={session?.deployment ?? ''}
          reason={
            needsSignIn
              ? `The platform no longer accepts your sign-in (the token expired or was revoked). Sign in again with a new desktop token; ${pendingText(pending).toLowerCase()} on this computer${pending > 0 ? ' and will be sent after you sign in' : ''}.`
              : undefined
          }
          onSignedIn={(s) => {
            setSignInOpen(false);
            engine.signedIn(s);
          }}
          onCancel={() => setSignInOpen(false)}
        />
      )}
      {confirmSignOut && (
        <Dialog
          title="Sign out of the platform?"
          onCancel={() => setConfirmSignOut(false)}
          data-testid="signout-dialog"
          actions={
            <>
              <Button variant="ghost" onClick={() => setConfirmSignOut(false)}>
                Stay signed in
              </Button>
              <Button
                variant="primary"
                data-testid="signout-confirm"
                onClick={() => {
                  setConfirmSignOut(false);
                  void engine.signOut();
                }}
              >
                Sign out
              </Button>
            </>
          }
        >
          <p>
            The token is removed from this computer’s keychain. Your fans stay here
            {pending > 0 ? `, and ${pendingText(pending).toLowerCase()} to be sent after you sign in again` : ''}.
          </p>
          {session?.source === 'environment' && (
            <p className="sync-muted">This window was signed in through FANBASE_DEPLOYMENT and FANBASE_TOKEN; it stops using them.</p>
          )}
        </Dialog>
      )}
      {conflictsOpen && (
        <ConflictsPanel
          onClose={() => setConflictsOpen(false)}
          onResolved={() => {
            onDataChanged();
            void engine.refreshStatus();
          }}
        />
      )}
    </footer>
  );
}
