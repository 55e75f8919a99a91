// Owns the styled native select with a visible label.
import type { SelectHTMLAttributes } from 'react';

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> {
  label: string;
  options: SelectOption[];
  value: string;
  onChange: (value: string) => void;
  /** Shown as a disabled option when there is nothing to choose. */
  placeholder?: string;
  /** The small form of a filter bar (label beside a compact select), as in the contacts filters. */
  compact?: boolean;
}

export function Select({ label, options, value, onChange, placeholder, compact = false, id, className, ...rest }: SelectProps) {
  const selectId = id ?? `select-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <span className={[compact ? 'filter-field' : 'field', className ?? ''].filter(Boolean).join(' ')}>
      <label className={compact ? 'filter-label' : 'field-label'} htmlFor={selectId}>
        {label}
      </label>
      <select
        id={selectId}
        className={compact ? 'select input-compact' : 'select'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...rest}
      >
        {options.length === 0 && placeholder !== undefined && (
          <option value="" disabled>
            {placeholder}
          </option>
        )}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}
