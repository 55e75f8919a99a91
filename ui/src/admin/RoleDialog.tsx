// Owns role and admin-flag changes: the confirmation that states each change's effect, the platform call (one user or a selection), the platform's refusal message and the per-user result list.
import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Button, Dialog } from '../components';
import { formatNumber } from '../format';
import { roleEffects, setRole, setRoles, type BulkOutcome, type Role, type RoleChange, type UserRow } from './api';
import { ROLES } from './adminModel';

/** Effect lines shown before "and N more". */
const PREVIEW_LINES = 6;

export interface RoleDialogProps {
  users: UserRow[];
  /** The change, when already chosen (the drawer); otherwise the dialog asks for it (bulk). */
  fixed?: RoleChange;
  onClose: () => void;
  /** Something was applied on the platform: reload the table, drawer and stats. */
  onApplied: () => void;
}

type Phase =
  | { kind: 'confirm' }
  | { kind: 'running' }
  | { kind: 'refused'; error: ApiError }
  | { kind: 'done'; outcome: BulkOutcome };

function hasChange(c: RoleChange): boolean {
  return c.role !== null || c.admin !== null;
}

export function RoleDialog({ users, fixed, onClose, onApplied }: RoleDialogProps) {
  const [change, setChange] = useState<RoleChange>(fixed ?? { role: null, admin: null });
  const [effects, setEffects] = useState<string[] | null>(null);
  const [effectsError, setEffectsError] = useState<ApiError | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });
  const ids = users.map((u) => u.id);
  const idsKey = ids.join('\n');
  const single = users.length === 1;

  useEffect(() => {
    if (!hasChange(change)) {
      setEffects(null);
      return;
    }
    let stale = false;
    setEffects(null);
    roleEffects(idsKey.split('\n'), change).then(
      (lines) => !stale && setEffects(lines),
      (err) => !stale && setEffectsError(toApiError(err)),
    );
    return () => {
      stale = true;
    };
  }, [idsKey, change]);

  const apply = async () => {
    setPhase({ kind: 'running' });
    try {
      if (single) {
        await setRole(ids[0], change);
        onApplied();
        onClose();
        return;
      }
      const outcome = await setRoles(ids, change);
      if (outcome.applied > 0) onApplied();
      setPhase({ kind: 'done', outcome });
    } catch (err) {
      setPhase({ kind: 'refused', error: toApiError(err) });
    }
  };

  const byId = new Map(users.map((u) => [u.id, u]));
  const title = single
    ? change.admin === null
      ? 'Change role'
      : change.admin
        ? 'Grant admin'
        : 'Revoke admin'
    : `Change ${formatNumber(users.length)} users`;

  if (phase.kind === 'done') {
    const { outcome } = phase;
    return (
      <Dialog
        title="Role change results"
        data-testid="role-results"
        onCancel={onClose}
        actions={
          <Button variant="primary" data-testid="role-results-close" onClick={onClose}>
            Done
          </Button>
        }
      >
        <p className="dialog-note" data-testid="role-results-summary">
          {formatNumber(outcome.applied)} applied · {formatNumber(outcome.refused)} refused
          {outcome.skipped > 0 ? ` · ${formatNumber(outcome.skipped)} not sent` : ''}
        </p>
        <ul className="role-results">
          {outcome.results.map((r) => {
            const u = byId.get(r.user_id);
            return (
              <li key={r.user_id} className={`role-result is-${r.status}`} data-testid="role-result" data-id={r.user_id} data-status={r.status}>
                <span className="role-result-mark" aria-hidden="true">
                  {r.status === 'applied' ? '✓' : r.status === 'refused' ? '✕' : '–'}
                </span>
                <span className="role-result-who">{u?.name || u?.email || r.user_id}</span>
                <span className="role-result-what">
                  {r.status === 'applied' ? 'Applied' : (r.message ?? r.code ?? r.status)}
                </span>
              </li>
            );
          })}
        </ul>
      </Dialog>
    );
  }

  const running = phase.kind === 'running';
  const refused = phase.kind === 'refused' ? phase.error : null;
  return (
    <Dialog
      title={title}
      data-testid="role-dialog"
      onCancel={() => !running && onClose()}
      actions={
        refused !== null ? (
          <Button variant="primary" data-testid="role-close" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={running}>
              Cancel
            </Button>
            <Button
              variant="primary"
              className={change.admin === true || change.role === 'AGENCY_OWNER' ? 'btn-danger' : undefined}
              data-testid="role-confirm"
              busy={running}
              disabled={!hasChange(change) || effects === null}
              onClick={() => void apply()}
            >
              {running ? 'Applying…' : single ? 'Confirm' : `Apply to ${formatNumber(users.length)} users`}
            </Button>
          </>
        )
      }
    >
      {fixed === undefined && (
        <div className="role-choose">
          <label className="stack-field">
            Role
            <select
              className="select"
              data-testid="bulk-role"
              value={change.role ?? ''}
              disabled={running}
              onChange={(e) => setChange({ ...change, role: e.target.value === '' ? null : (e.target.value as Role) })}
            >
              <option value="">Keep each user's role</option>
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label className="stack-field">
            Admin flag
            <select
              className="select"
              data-testid="bulk-admin"
              value={change.admin === null ? '' : String(change.admin)}
              disabled={running}
              onChange={(e) => setChange({ ...change, admin: e.target.value === '' ? null : e.target.value === 'true' })}
            >
              <option value="">Keep as is</option>
              <option value="true">Grant admin</option>
              <option value="false">Revoke admin</option>
            </select>
          </label>
        </div>
      )}
      {!hasChange(change) && <p className="dialog-note">Choose a role, an admin flag, or both.</p>}
      {hasChange(change) && effects === null && effectsError === null && <p className="dialog-note">Working out the effect…</p>}
      {effectsError !== null && <p className="dialog-problem">{effectsError.message}</p>}
      {effects !== null && (
        <ul className="role-effects" data-testid="role-effects">
          {effects.slice(0, PREVIEW_LINES).map((line, i) => (
            <li key={ids[i]} data-testid="role-effect">
              {line}.
            </li>
          ))}
          {effects.length > PREVIEW_LINES && <li className="is-faint">…and {formatNumber(effects.length - PREVIEW_LINES)} more.</li>}
        </ul>
      )}
      {change.admin === true && (
        <p className="dialog-note">The admin flag gives full access to every store, every user and every role.</p>
      )}
      {!single && <p className="dialog-note">Each user is changed on the platform one by one; you get a result for each.</p>}
      {refused !== null && (
        <p className="dialog-problem" role="alert" data-testid="role-error" data-code={refused.code}>
          {refused.message}
        </p>
      )}
    </Dialog>
  );
}
