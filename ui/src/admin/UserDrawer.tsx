// Owns the user drawer: one platform user's details, every local store where their email is a fan (type, status, spend), and the role and admin-flag controls that open the confirmation.
import { useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Badge, Button } from '../components';
import { formatMoney, formatNumber, statusLabel, typeLabel } from '../format';
import { userDetail, type Role, type RoleChange, type UserDetail, type UserRow } from './api';
import { ROLES, roleLabel } from './adminModel';

export interface UserDrawerProps {
  row: UserRow;
  /** Bumped after a change: the detail is read again. */
  version: number;
  me: string | null;
  onClose: () => void;
  onChange: (user: UserRow, change: RoleChange) => void;
  onError: (err: ApiError) => void;
}

function dateTime(ms: number | null): string {
  return ms === null || ms <= 0 ? 'Never' : new Date(ms).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

export function UserDrawer({ row, version, me, onClose, onChange, onError }: UserDrawerProps) {
  const [detail, setDetail] = useState<UserDetail | null>(null);
  const [role, setRoleChoice] = useState<Role>(row.role);

  useEffect(() => {
    let stale = false;
    userDetail(row.id).then(
      (d) => {
        if (stale) return;
        setDetail(d);
        setRoleChoice(d.user.role);
      },
      (err) => !stale && onError(toApiError(err)),
    );
    return () => {
      stale = true;
    };
  }, [row.id, version, onError]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && document.querySelector('[role=dialog]') === null) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const user = detail?.user.id === row.id ? detail.user : row;
  const fanOf = detail?.user.id === row.id ? detail.fan_of : null;
  const spent = (fanOf ?? []).reduce((sum, f) => sum + f.total_spent_cents, 0);
  return (
    <aside className="drawer user-drawer" data-testid="user-drawer" data-id={user.id} aria-label="User details">
      <header className="drawer-head">
        <div className="drawer-titles">
          <h2 className="drawer-title">{user.name || user.email}</h2>
          <div className="drawer-sub">{user.email}</div>
          <div className="drawer-badges">
            <span className={`role-pill role-${user.role.toLowerCase()}`} data-testid="drawer-role" data-role={user.role}>
              {roleLabel(user.role)}
            </span>
            {user.admin && <Badge tone="accent">Platform admin</Badge>}
            {user.stripe_connected && <Badge tone="success">Stripe connected</Badge>}
            {me === user.id && <Badge>You</Badge>}
          </div>
        </div>
        <Button variant="ghost" aria-label="Close" data-testid="user-drawer-close" onClick={onClose}>
          ×
        </Button>
      </header>
      <div className="drawer-body">
        <section className="drawer-section">
          <h3>Role</h3>
          <div className="role-controls">
            <select
              className="select input-compact"
              aria-label="New role"
              data-testid="drawer-role-select"
              value={role}
              onChange={(e) => setRoleChoice(e.target.value as Role)}
            >
              {ROLES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
            <Button
              data-testid="drawer-role-apply"
              disabled={role === user.role}
              onClick={() => onChange(user, { role, admin: null })}
            >
              Change role…
            </Button>
          </div>
          <div className="role-controls">
            <span className="drawer-label">{user.admin ? 'Has the admin flag' : 'No admin flag'}</span>
            <Button data-testid="drawer-admin-toggle" onClick={() => onChange(user, { role: null, admin: !user.admin })}>
              {user.admin ? 'Revoke admin…' : 'Grant admin…'}
            </Button>
          </div>
        </section>

        <section className="drawer-section">
          <h3>Fan of {fanOf === null ? '' : `${formatNumber(fanOf.length)} ${fanOf.length === 1 ? 'store' : 'stores'}`}</h3>
          {fanOf === null && <p className="drawer-quiet">Loading…</p>}
          {fanOf !== null && fanOf.length === 0 && <p className="drawer-quiet">Not a fan of any local store.</p>}
          {fanOf !== null && fanOf.length > 0 && (
            <ul className="fan-of" data-testid="fan-of">
              {fanOf.map((f) => (
                <li key={`${f.store_id}:${f.customer_id}`} className="fan-of-item" data-store={f.store_id}>
                  <div className="fan-of-head">
                    <span className="fan-of-store">{f.store_name || f.store_id}</span>
                    <span className="fan-of-spent num">{formatMoney(f.total_spent_cents / 100)}</span>
                  </div>
                  <div className="fan-of-meta">
                    <Badge tone={f.type === 'paying' ? 'success' : f.type === 'subscription' ? 'accent' : 'neutral'}>{typeLabel(f.type)}</Badge>
                    <span>{statusLabel(f.status)}</span>
                    {f.purchases > 0 && <span>{formatNumber(f.purchases)} purchases</span>}
                    {f.enrollments > 0 && <span>{formatNumber(f.enrollments)} enrollments</span>}
                  </div>
                </li>
              ))}
            </ul>
          )}
          {fanOf !== null && fanOf.length > 1 && <p className="fan-of-total">Spent in all: {formatMoney(spent / 100)}</p>}
        </section>

        <section className="drawer-section drawer-record">
          <h3>Account</h3>
          <dl>
            <dt>Signed up</dt>
            <dd>{dateTime(user.created_at)}</dd>
            <dt>Last sign-in</dt>
            <dd>{dateTime(user.last_sign_in_at)}</dd>
            <dt>Stripe account</dt>
            <dd>{user.stripe_connect_account_id || 'Not connected'}</dd>
            <dt>Platform id</dt>
            <dd>{user.id}</dd>
            {detail !== null && detail.clerk_id !== '' && (
              <>
                <dt>Clerk id</dt>
                <dd>{detail.clerk_id}</dd>
              </>
            )}
            {detail !== null && (
              <>
                <dt>Updated</dt>
                <dd>{dateTime(detail.updated_at)}</dd>
              </>
            )}
          </dl>
        </section>
      </div>
    </aside>
  );
}
