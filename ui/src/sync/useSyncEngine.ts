// Owns when the window syncs: once after sign-in or start, every minute while signed in, shortly
// after a local edit, and on "Sync now"; never two runs at once. Tracks session, status, progress.
import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import {
  syncCancel,
  syncRun,
  syncSession,
  syncSignOut,
  syncStatus,
  type Session,
  type SyncProgress,
  type SyncReport,
  type SyncStatus,
} from './api';
import { CODE_RUNNING, SIGN_IN_CODES, sawNewEdit } from './syncText';

/** Background sync period while signed in. */
export const BACKGROUND_MS = 60_000;
/** How often the bar re-reads the outbox (pending edits, conflicts). */
export const STATUS_POLL_MS = 3_000;
/** The wait after a local edit before it is sent (edits in a row go together). */
export const AFTER_EDIT_MS = 4_000;

export interface SyncEngine {
  session: Session | null;
  status: SyncStatus | null;
  running: boolean;
  progress: SyncProgress | null;
  /** The last run's error (cleared by a good run). */
  runError: ApiError | null;
  /** The platform refused the sign-in: the user must sign in again (local edits are kept). */
  needsSignIn: boolean;
  lastReport: SyncReport | null;
  syncNow: () => Promise<void>;
  cancel: () => void;
  signedIn: (session: Session) => void;
  signOut: () => Promise<void>;
  refreshStatus: () => Promise<void>;
}

export function useSyncEngine(onDataChanged: () => void, onError: (e: ApiError) => void): SyncEngine {
  const [session, setSession] = useState<Session | null>(null);
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const [needsSignIn, setNeedsSignIn] = useState(false);
  const [lastReport, setLastReport] = useState<SyncReport | null>(null);
  const runningRef = useRef(false);
  const statusRef = useRef<SyncStatus | null>(null);
  const editTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const changed = useRef(onDataChanged);
  changed.current = onDataChanged;
  const active = session?.signed_in === true && !needsSignIn;
  const activeRef = useRef(active);
  activeRef.current = active;

  const refreshStatus = useCallback(async () => {
    try {
      const next = await syncStatus();
      const before = statusRef.current;
      statusRef.current = next;
      setStatus(next);
      if (sawNewEdit(before, next)) scheduleAfterEdit();
    } catch {
      // A status read that fails is retried by the next poll; the bar keeps the last one.
    }
  }, []);

  const syncNow = useCallback(async () => {
    if (runningRef.current) return;
    runningRef.current = true;
    setRunning(true);
    setProgress(null);
    try {
      const report = await syncRun(setProgress);
      setLastReport(report);
      setRunError(null);
      setNeedsSignIn(false);
      if (report.pulled > 0) changed.current();
    } catch (err) {
      const e = toApiError(err);
      if (e.code !== CODE_RUNNING) {
        setRunError(e);
        if (SIGN_IN_CODES.has(e.code)) setNeedsSignIn(true);
      }
    } finally {
      runningRef.current = false;
      setRunning(false);
      setProgress(null);
      await refreshStatus();
    }
  }, [refreshStatus]);

  const syncRef = useRef(syncNow);
  syncRef.current = syncNow;

  function scheduleAfterEdit() {
    // Edits only lead to a sync while the sign-in holds.
    if (!activeRef.current) return;
    if (editTimer.current !== null) clearTimeout(editTimer.current);
    editTimer.current = setTimeout(() => {
      editTimer.current = null;
      void syncRef.current();
    }, AFTER_EDIT_MS);
  }

  // Start: the session (from the keychain or the environment), then a first sync.
  useEffect(() => {
    let gone = false;
    void refreshStatus();
    syncSession(true).then(
      (s) => {
        if (gone) return;
        setSession(s);
        if (s.signed_in && s.error !== null && SIGN_IN_CODES.has(s.error.code)) setNeedsSignIn(true);
        else if (s.signed_in) void syncRef.current();
      },
      (err) => {
        // Without a session the window still works locally; the bar offers to sign in.
        if (!gone) setSession({ signed_in: false, deployment: null, source: null, account: null, error: toApiError(err) });
      },
    );
    return () => {
      gone = true;
    };
  }, []);

  useEffect(() => {
    const poll = setInterval(() => void refreshStatus(), STATUS_POLL_MS);
    return () => clearInterval(poll);
  }, [refreshStatus]);

  useEffect(() => {
    if (!active) return;
    const every = setInterval(() => void syncRef.current(), BACKGROUND_MS);
    return () => clearInterval(every);
  }, [active]);

  useEffect(
    () => () => {
      if (editTimer.current !== null) clearTimeout(editTimer.current);
    },
    [],
  );

  useEffect(() => {
    if (!active && editTimer.current !== null) {
      clearTimeout(editTimer.current);
      editTimer.current = null;
    }
  }, [active]);

  const signedIn = useCallback((s: Session) => {
    setSession(s);
    setNeedsSignIn(false);
    setRunError(null);
    changed.current();
    void syncRef.current();
  }, []);

  const signOut = useCallback(async () => {
    try {
      await syncCancel();
      await syncSignOut();
      setSession({ signed_in: false, deployment: null, source: null, account: null, error: null });
      setNeedsSignIn(false);
      setRunError(null);
      // Who is signed in changed: the window asks again (the Admin tab goes).
      changed.current();
    } catch (err) {
      onError(toApiError(err));
    }
  }, [onError]);

  // The run registers its cancel switch a moment after it starts: keep asking until it stops.
  const cancel = useCallback(() => {
    const ask = async () => {
      while (runningRef.current) {
        if (await syncCancel()) return;
        await new Promise((r) => setTimeout(r, 150));
      }
    };
    ask().catch((err) => onError(toApiError(err)));
  }, [onError]);

  return { session, status, running, progress, runError, needsSignIn, lastReport, syncNow, cancel, signedIn, signOut, refreshStatus };
}
