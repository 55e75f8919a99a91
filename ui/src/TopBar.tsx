// Owns the top bar: app name, store switcher and the exact fan count of the selected store.
import type { Store } from './api';
import { Select } from './components';
import { formatFanCount, formatNumber } from './format';

export interface TopBarProps {
  stores: Store[] | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Exact count of the selected store; null while it is being counted. */
  count: number | null;
}

export function TopBar({ stores, selectedId, onSelect, count }: TopBarProps) {
  const options = (stores ?? []).map((s) => ({ value: s.id, label: s.name === '' ? s.id : s.name }));
  return (
    <header className="topbar">
      <h1 className="brand">Fanbase</h1>
      <Select
        label="Store"
        className="store-field"
        data-testid="store-switcher"
        options={options}
        value={selectedId ?? ''}
        onChange={onSelect}
        disabled={options.length === 0}
        placeholder={stores === null ? 'Loading…' : 'No stores yet'}
      />
      <span className="spacer" />
      <span
        className="fan-count"
        data-testid="fan-count"
        data-count={count ?? undefined}
        aria-live="polite"
        title={count === null ? undefined : `${formatNumber(count)} fans in this store`}
      >
        {count === null ? 'Counting…' : formatFanCount(count)}
      </span>
    </header>
  );
}
