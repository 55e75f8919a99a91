// Owns the top bar: app name, store switcher and the exact fan count of the selected store.
import type { ReactNode } from 'react';
import type { Conversion, Store } from './api';
import { Select } from './components';
import { formatFanCount, formatNumber, formatPercent } from './format';

export interface TopBarProps {
  /** The area tabs, shown after the app name. */
  nav?: ReactNode;
  /** Buttons shown at the right of the bar, before the count. */
  actions?: ReactNode;
  stores: Store[] | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  /** Exact count of the selected store; null while it is being counted. */
  count: number | null;
  /** Fans with a platform account ÷ fans; null while unknown. */
  conversion?: Conversion | null;
}

export function TopBar({ nav, stores, selectedId, onSelect, count, conversion = null, actions }: TopBarProps) {
  const options = (stores ?? []).map((s) => ({ value: s.id, label: s.name === '' ? s.id : s.name }));
  return (
    <header className="topbar">
      <h1 className="brand">Fanbase</h1>
      {nav}
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
      {actions}
      {conversion !== null && conversion.fans > 0 && (
        <span
          className="conversion-rate"
          data-testid="conversion-rate"
          data-rate={conversion.rate}
          title={`${formatNumber(conversion.with_account)} of ${formatNumber(conversion.fans)} fans have a platform account`}
        >
          <span className="conversion-value">{formatPercent(conversion.rate)}</span> have an account
        </span>
      )}
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
