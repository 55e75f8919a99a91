// Owns the conflicts panel: each conflict field by field (mine against the platform's), resolved
// "keep mine" or "keep theirs"; rejected changes with the platform's message, dismissed.
import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Button, Dialog } from '../components';
import { syncConflicts, syncDismiss, syncResolve, type Keep, type Waiting } from './api';
import { conflictRows } from './syncText';

export interface ConflictsPanelProps {
  onClose: () => void;
  /** Called after a resolution changed local data or the outbox. */
  onResolved: () => void;
}

export function ConflictsPanel({ onClose, onResolved }: ConflictsPanelProps) {
  const [items, setItems] = useState<Waiting[] | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const load = useCallback(async () => {
    try {
      setItems(await syncConflicts());
    } catch (err) {
      setError(toApiError(err));
      setItems((i) => i ?? []);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const act = async (w: Waiting, keep: Keep | 'dismiss') => {
    setBusy(w.id);
    setError(null);
    try {
      if (keep === 'dismiss') await syncDismiss(w.id);
      else await syncResolve(w.id, keep);
      onResolved();
      await load();
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog
      title="Changes that need you"
      onCancel={onClose}
      data-testid="conflicts-panel"
      actions={
        <Button variant="primary" onClick={onClose} data-testid="conflicts-close">
          Done
        </Button>
      }
    >
      {error !== null && (
        <p className="signin-error" role="alert">
          {error.message}
        </p>
      )}
      {items === null && <p className="sync-muted">Loading…</p>}
      {items !== null && items.length === 0 && (
        <p className="sync-muted" data-testid="conflicts-empty">
          Nothing waits for you: every change was sent.
        </p>
      )}
      <ul className="conflict-list">
        {(items ?? []).map((w) => (
          <li key={w.id} className="conflict" data-testid="conflict" data-id={w.id} data-state={w.state}>
            <div className="conflict-head">
              <strong>{w.email}</strong>
              <span className="sync-muted">
                {w.state === 'rejected'
                  ? 'rejected by the platform'
                  : w.kind === 'deleted'
                    ? 'deleted on the platform while you edited it'
                    : 'changed on the platform too'}
              </span>
            </div>
            {w.message !== '' && <p className="conflict-message">{w.message}</p>}
            <table className="conflict-fields">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Mine</th>
                  <th scope="col">Theirs</th>
                </tr>
              </thead>
              <tbody>
                {conflictRows(w).map((r) => (
                  <tr key={r.field} data-field={r.field}>
                    <th scope="row">{r.field}</th>
                    <td data-testid="conflict-mine">{r.mine}</td>
                    <td data-testid="conflict-theirs">{r.theirs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="conflict-actions">
              {w.state === 'conflict' ? (
                <>
                  <Button busy={busy === w.id} onClick={() => void act(w, 'mine')} data-testid="conflict-keep-mine">
                    Keep mine
                  </Button>
                  <Button busy={busy === w.id} onClick={() => void act(w, 'theirs')} data-testid="conflict-keep-theirs">
                    Keep theirs
                  </Button>
                </>
              ) : (
                <Button busy={busy === w.id} onClick={() => void act(w, 'dismiss')} data-testid="conflict-dismiss">
                  Dismiss (take the platform’s version)
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
