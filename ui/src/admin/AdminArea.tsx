// Owns the platform admin's area: pulls the platform's users (with progress), then shows the stats, the filtered and sorted users table, the user drawer, and single and bulk role changes.
import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Button, Select, Toast, type SelectOption } from '../components';
import { formatNumber } from '../format';
import { useDebounced } from '../useDebounced';
import { adminStats, usersPage, usersPull, type RoleChange, type Stats, type UserRow, type UserSort } from './api';
import {
  ago,
  DEFAULT_USER_SORT,
  isFiltered,
  loadAllUsers,
  nextUserSort,
  NO_FILTERS,
  ROLES,
  SIGNED_IN_CHOICES,
  toUserQuery,
  type Tri,
  type UserFilters,
} from './adminModel';
import { RoleDialog } from './RoleDialog';
import { StatsPanel } from './StatsPanel';
import { UserDrawer } from './UserDrawer';
import { UsersTable } from './UsersTable';
import './admin.css';

export const SEARCH_DEBOUNCE_MS = 180;

export interface AdminAreaProps {
  onError: (error: ApiError) => void;
  /** The signed-in admin's platform user id, to mark "you". */
  me?: string | null;
  /** Users were pulled: figures elsewhere in the window (the store's conversion) may have changed. */
  onDataChanged?: () => void;
}

type Pull = { kind: 'idle' } | { kind: 'running'; received: number } | { kind: 'done'; at: number; received: number } | { kind: 'failed' };

interface RoleTask {
  users: UserRow[];
  fixed?: RoleChange;
}

const TRI_OPTIONS: SelectOption[] = [
  { value: 'any', label: 'Any' },
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
];
const STRIPE_OPTIONS: SelectOption[] = [
  { value: 'any', label: 'Any' },
  { value: 'yes', label: 'Connected' },
  { value: 'no', label: 'Not connected' },
];
const ROLE_OPTIONS: SelectOption[] = [{ value: 'any', label: 'Any' }, ...ROLES];
const SIGNED_IN_OPTIONS: SelectOption[] = SIGNED_IN_CHOICES.map((d) => ({
  value: String(d),
  label: d === 0 ? 'Any time' : d === 1 ? 'Last 24 hours' : `Last ${d} days`,
}));

export function AdminArea({ onError, me = null, onDataChanged }: AdminAreaProps) {
  const [stats, setStats] = useState<Stats | null>(null);
  const [rows, setRows] = useState<UserRow[] | null>(null);
  const [filters, setFilters] = useState<UserFilters>(NO_FILTERS);
  const [sort, setSort] = useState<UserSort>(DEFAULT_USER_SORT);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<UserRow | null>(null);
  const [version, setVersion] = useState(0);
  const [task, setTask] = useState<RoleTask | null>(null);
  const [pull, setPull] = useState<Pull>({ kind: 'idle' });
  const [notice, setNotice] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const search = useDebounced(filters.search, SEARCH_DEBOUNCE_MS);
  const request = useRef(0);
  const changed = useRef(onDataChanged);
  changed.current = onDataChanged;

  const report = useCallback((err: unknown) => onError(toApiError(err)), [onError]);

  // The table and the stats read the local copy: they follow the filters, the sort and every change.
  useEffect(() => {
    const mine = ++request.current;
    const query = toUserQuery({ ...filters, search }, sort);
    loadAllUsers(query, usersPage).then(
      (all) => {
        if (mine !== request.current) return;
        setRows(all);
        // Selection and drawer follow the rows that are still there.
        const ids = new Set(all.map((r) => r.id));
        setSelected((s) => (Array.from(s).every((id) => ids.has(id)) ? s : new Set(Array.from(s).filter((id) => ids.has(id)))));
        setOpen((o) => (o === null ? null : (all.find((r) => r.id === o.id) ?? o)));
      },
      (err) => mine === request.current && report(err),
    );
  }, [search, filters.role, filters.admin, filters.stripe, filters.signedInDays, sort, version, report]);

  useEffect(() => {
    adminStats().then(setStats, report);
  }, [version, report]);

  const runPull = useCallback(async () => {
    setPull({ kind: 'running', received: 0 });
    try {
      const done = await usersPull((p) => setPull({ kind: 'running', received: p.done }));
      setPull({ kind: 'done', at: Date.now(), received: done.received });
      setVersion((v) => v + 1);
      changed.current?.();
    } catch (err) {
      setPull({ kind: 'failed' });
      report(err);
    }
  }, [report]);

  // Opening the area brings the local copy up to date with the platform.
  useEffect(() => {
    void runPull();
  }, [runPull]);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);

  const setFilter = <K extends keyof UserFilters>(key: K, value: UserFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const toggle = useCallback((id: string) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  const toggleAll = () => {
    if (rows === null) return;
    setSelected((s) => (rows.length > 0 && rows.every((r) => s.has(r.id)) ? new Set() : new Set(rows.map((r) => r.id))));
  };

  const onApplied = useCallback(() => setVersion((v) => v + 1), []);
  const closeDrawer = useCallback(() => setOpen(null), []);
  const selectedRows = rows === null ? [] : rows.filter((r) => selected.has(r.id));

  let pullText: string;
  switch (pull.kind) {
    case 'running':
      pullText = pull.received > 0 ? `Pulling users… ${formatNumber(pull.received)} received` : 'Pulling users from the platform…';
      break;
    case 'done':
      pullText = `Up to date · ${ago(pull.at, now)}`;
      break;
    case 'failed':
      pullText = 'Showing the local copy: the platform could not be read';
      break;
    default:
      pullText = '';
  }

  return (
    <div className="admin-area" data-testid="admin-area">
      <header className="admin-head">
        <h2 className="admin-title">Platform</h2>
        <span className="admin-pull" data-testid="admin-pull" data-state={pull.kind} aria-live="polite">
          {pull.kind === 'running' && <span className="spinner spinner-small" aria-hidden="true" />}
          {pullText}
        </span>
        <span className="spacer" />
        <Button data-testid="admin-refresh" busy={pull.kind === 'running'} onClick={() => void runPull()}>
          Refresh from platform
        </Button>
      </header>
      <StatsPanel stats={stats} />
      <div className="toolbar admin-toolbar">
        <input
          className="input search-box"
          type="search"
          placeholder="Search name or email"
          aria-label="Search users"
          data-testid="users-search"
          value={filters.search}
          onChange={(e) => setFilter('search', e.target.value)}
        />
        {[
          {
            key: 'role',
            label: 'Role',
            options: ROLE_OPTIONS,
            value: filters.role,
            set: (v: string) => setFilter('role', v as UserFilters['role']),
          },
          { key: 'admin', label: 'Admin', options: TRI_OPTIONS, value: filters.admin, set: (v: string) => setFilter('admin', v as Tri) },
          {
            key: 'stripe',
            label: 'Stripe',
            options: STRIPE_OPTIONS,
            value: filters.stripe,
            set: (v: string) => setFilter('stripe', v as Tri),
          },
          {
            key: 'signed-in',
            label: 'Signed in',
            options: SIGNED_IN_OPTIONS,
            value: String(filters.signedInDays),
            set: (v: string) => setFilter('signedInDays', Number(v)),
          },
        ].map((f) => (
          <Select
            key={f.key}
            compact
            className="admin-select"
            label={f.label}
            id={`admin-filter-${f.key}`}
            data-testid={`filter-${f.key}`}
            options={f.options}
            value={f.value}
            onChange={f.set}
          />
        ))}
        {isFiltered(filters) && (
          <Button variant="ghost" data-testid="filters-clear" onClick={() => setFilters(NO_FILTERS)}>
            Clear
          </Button>
        )}
        <span className="spacer" />
        {selected.size > 0 && (
          <>
            <span className="match-count" data-testid="users-selected">
              {formatNumber(selected.size)} selected
            </span>
            <Button variant="ghost" onClick={() => setSelected(new Set())}>
              Clear selection
            </Button>
            <Button variant="primary" data-testid="bulk-role-open" onClick={() => setTask({ users: selectedRows })}>
              Change role…
            </Button>
          </>
        )}
        <span className="match-count" data-testid="users-count" data-count={rows?.length ?? ''}>
          {rows === null ? 'Loading…' : `${formatNumber(rows.length)} ${rows.length === 1 ? 'user' : 'users'}`}
        </span>
      </div>
      <div className={open === null ? 'admin-body' : 'admin-body has-drawer'}>
        {rows !== null && rows.length === 0 ? (
          <div className="admin-empty" data-testid="users-empty">
            {isFiltered(filters)
              ? 'No user matches these filters.'
              : pull.kind === 'running'
                ? 'Pulling the platform’s users…'
                : 'No users in the local copy yet: use Refresh from platform.'}
          </div>
        ) : (
          <UsersTable
            rows={rows ?? []}
            sort={sort}
            onSort={(field) => setSort((s) => nextUserSort(s, field))}
            selected={selected}
            onToggle={toggle}
            onToggleAll={toggleAll}
            openId={open?.id ?? null}
            onOpen={setOpen}
            me={me}
          />
        )}
        {open !== null && (
          <UserDrawer
            row={open}
            version={version}
            me={me}
            onClose={closeDrawer}
            onChange={(user, fixed) => setTask({ users: [user], fixed })}
            onError={onError}
          />
        )}
      </div>
      {task !== null && (
        <RoleDialog
          users={task.users}
          fixed={task.fixed}
          onClose={() => setTask(null)}
          onApplied={() => {
            onApplied();
            if (task.fixed !== undefined) setNotice('Change applied on the platform.');
            else setSelected(new Set());
          }}
        />
      )}
      {notice !== null && <Toast onClose={() => setNotice(null)}>{notice}</Toast>}
    </div>
  );
}
