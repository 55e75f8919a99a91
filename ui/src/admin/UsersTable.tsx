// Owns the virtualized users table: sortable header, the visible rows, selection checkboxes, row clicks and keyboard navigation (arrows, Page keys, Home/End, Enter opens, Space selects).
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useRef, useState, type KeyboardEvent } from 'react';
import { formatDate, formatNumber } from '../format';
import type { UserRow, UserSort, UserSortField } from './api';
import { roleLabel } from './adminModel';

export const USER_ROW_HEIGHT = 36;
const HEADER_HEIGHT = 36;

interface Column {
  id: string;
  label: string;
  sort?: UserSortField;
  width: string;
  end?: boolean;
}

const COLUMNS: Column[] = [
  { id: 'select', label: '', width: '38px' },
  { id: 'name', label: 'Name', sort: 'name', width: 'minmax(120px, 1.2fr)' },
  { id: 'email', label: 'Email', sort: 'email', width: 'minmax(160px, 1.7fr)' },
  { id: 'role', label: 'Role', sort: 'role', width: '84px' },
  { id: 'admin', label: 'Admin', sort: 'admin', width: '70px' },
  { id: 'stripe', label: 'Stripe', sort: 'stripe_connected', width: '72px' },
  { id: 'created', label: 'Created', sort: 'created_at', width: '110px' },
  { id: 'last', label: 'Last sign-in', sort: 'last_sign_in_at', width: '110px' },
  { id: 'stores', label: 'Fan of', sort: 'fan_stores', width: '70px', end: true },
];

const TEMPLATE = COLUMNS.map((c) => c.width).join(' ');

export interface UsersTableProps {
  rows: UserRow[];
  sort: UserSort;
  onSort: (field: UserSortField) => void;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onToggleAll: () => void;
  /** The user whose drawer is open. */
  openId: string | null;
  onOpen: (row: UserRow) => void;
  /** The signed-in admin's user id ("you"). */
  me: string | null;
}

export function UsersTable({ rows, sort, onSort, selected, onToggle, onToggleAll, openId, onOpen, me }: UsersTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<number | null>(null);
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => USER_ROW_HEIGHT,
    overscan: 10,
    paddingStart: HEADER_HEIGHT,
  });
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0 || (e.target as HTMLElement).tagName === 'INPUT') return;
    const page = Math.max(1, Math.floor(((scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT) / USER_ROW_HEIGHT) - 1);
    const current = active ?? -1;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = current + 1;
        break;
      case 'ArrowUp':
        next = current - 1;
        break;
      case 'PageDown':
        next = current + page;
        break;
      case 'PageUp':
        next = current - page;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'Enter':
        if (active !== null && rows[active] !== undefined) {
          e.preventDefault();
          onOpen(rows[active]);
        }
        return;
      case ' ':
        if (active !== null && rows[active] !== undefined) {
          e.preventDefault();
          onToggle(rows[active].id);
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(rows.length - 1, next));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  return (
    <div
      className="table-scroll users-scroll"
      data-testid="users-scroll"
      ref={scrollRef}
      tabIndex={0}
      role="grid"
      aria-label="Platform users"
      aria-rowcount={rows.length + 1}
      aria-activedescendant={active !== null && rows[active] !== undefined ? `user-row-${active}` : undefined}
      onKeyDown={onKeyDown}
    >
      <div className="table" role="rowgroup" style={{ height: virtualizer.getTotalSize(), minWidth: 840 }}>
        <div role="row" aria-rowindex={1} className="row row-header" style={{ gridTemplateColumns: TEMPLATE }}>
          {COLUMNS.map((c) => {
            if (c.id === 'select') {
              return (
                <div key={c.id} role="columnheader" className="cell cell-check">
                  <input
                    type="checkbox"
                    aria-label="Select every user shown"
                    data-testid="users-select-all"
                    checked={allSelected}
                    onChange={onToggleAll}
                  />
                </div>
              );
            }
            const state = sort.field === c.sort ? (sort.desc ? 'descending' : 'ascending') : 'none';
            return (
              <div key={c.id} role="columnheader" aria-sort={state} className={c.end ? 'cell cell-end' : 'cell'}>
                <button
                  type="button"
                  className="sort-button"
                  data-testid="users-sort"
                  data-sort={c.sort}
                  title={`Sort by ${c.label}`}
                  onClick={() => c.sort !== undefined && onSort(c.sort)}
                >
                  <span>{c.label}</span>
                  <span className="sort-arrow" aria-hidden="true">
                    {state === 'ascending' ? '▲' : state === 'descending' ? '▼' : ''}
                  </span>
                </button>
              </div>
            );
          })}
        </div>
        <div className="rows-layer" role="presentation">
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            return (
              <UserRowView
                key={row.id}
                row={row}
                index={item.index}
                top={item.start}
                active={active === item.index}
                open={openId === row.id}
                selected={selected.has(row.id)}
                me={me === row.id}
                onToggle={onToggle}
                onClick={(i) => {
                  setActive(i);
                  onOpen(row);
                }}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

interface UserRowViewProps {
  row: UserRow;
  index: number;
  top: number;
  active: boolean;
  open: boolean;
  selected: boolean;
  me: boolean;
  onToggle: (id: string) => void;
  onClick: (index: number) => void;
}

const UserRowView = memo(function UserRowView({ row, index, top, active, open, selected, me, onToggle, onClick }: UserRowViewProps) {
  return (
    <div
      role="row"
      id={`user-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={['row', 'user-row', active || open ? 'is-active' : '', selected ? 'is-selected' : ''].filter(Boolean).join(' ')}
      data-testid="user-row"
      data-index={index}
      data-id={row.id}
      data-email={row.email}
      data-role={row.role}
      data-admin={String(row.admin)}
      data-stripe={String(row.stripe_connected)}
      data-fan-stores={row.fan_stores}
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: TEMPLATE }}
      onClick={() => onClick(index)}
    >
      <div role="gridcell" className="cell cell-check" onClick={(e) => e.stopPropagation()}>
        <input
          type="checkbox"
          tabIndex={-1}
          aria-label={`Select ${row.name || row.email}`}
          data-testid="user-select"
          checked={selected}
          onChange={() => onToggle(row.id)}
        />
      </div>
      <div role="gridcell" className="cell">
        <span className={row.name === '' ? 'cell-text is-empty' : 'cell-text user-name'}>
          {row.name === '' ? '—' : row.name}
          {me && <span className="you-mark">you</span>}
        </span>
      </div>
      <div role="gridcell" className="cell">
        <span className="cell-text">{row.email}</span>
      </div>
      <div role="gridcell" className="cell">
        <span className={`role-pill role-${row.role.toLowerCase()}`}>{roleLabel(row.role)}</span>
      </div>
      <div role="gridcell" className="cell">
        {row.admin ? <span className="flag-yes">Admin</span> : <span className="cell-text is-empty">—</span>}
      </div>
      <div role="gridcell" className="cell">
        {row.stripe_connected ? (
          <span className="flag-stripe" title={row.stripe_connect_account_id}>
            ● Yes
          </span>
        ) : (
          <span className="cell-text is-empty">No</span>
        )}
      </div>
      <div role="gridcell" className="cell num">
        {formatDate(row.created_at)}
      </div>
      <div role="gridcell" className={row.last_sign_in_at === null ? 'cell num is-faint' : 'cell num'}>
        {row.last_sign_in_at === null ? 'Never' : formatDate(row.last_sign_in_at)}
      </div>
      <div role="gridcell" className="cell cell-end num">
        {row.fan_stores === 0 ? <span className="is-faint">0</span> : formatNumber(row.fan_stores)}
      </div>
    </div>
  );
});
