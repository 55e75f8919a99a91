// Owns one editable field of the contact drawer: shows the value, commits a change on Enter or blur, Escape reverts.
import { useState } from 'react';

export type FieldKind = 'text' | 'number' | 'money' | 'select' | 'bool';

export interface EditableFieldProps {
  label: string;
  /** The field's snake_case name (or `custom.<name>`), also its test id suffix. */
  name: string;
  kind: FieldKind;
  value: string | number | boolean;
  options?: { value: string; label: string }[];
  disabled?: boolean;
  /** Saves the new value; rejects with {message} to keep the edit open. */
  onCommit: (name: string, value: string | number | boolean) => Promise<void>;
}

/** The typed value of what was typed, or an error message. */
export function parseFieldInput(kind: FieldKind, text: string): { value: string | number | boolean } | { error: string } {
  if (kind === 'number') {
    const t = text.trim();
    return /^-?\d+$/.test(t) ? { value: Number(t) } : { error: 'Enter a whole number.' };
  }
  if (kind === 'money') {
    const t = text.trim().replace(/^\$/, '').replace(/,/g, '');
    const n = Number(t);
    return t !== '' && Number.isFinite(n) && n >= 0 ? { value: Math.round(n * 100) / 100 } : { error: 'Enter an amount like 19.99.' };
  }
  return { value: text };
}

function asText(value: string | number | boolean, kind: FieldKind): string {
  if (kind === 'money' && typeof value === 'number') return value.toFixed(2);
  return String(value);
}

export function EditableField({ label, name, kind, value, options, disabled, onCommit }: EditableFieldProps) {
  const shown = asText(value, kind);
  const [text, setText] = useState(shown);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // A new stored value replaces the draft during render, not in an effect: an effect that ran
  // late (after a first keystroke) would throw that keystroke away.
  const [base, setBase] = useState(shown);
  if (base !== shown) {
    setBase(shown);
    setText(shown);
    setProblem(null);
  }

  const commit = async (raw: string | boolean) => {
    if (typeof raw === 'boolean') {
      if (raw === value) return;
      await save(raw);
      return;
    }
    if (raw === shown) return;
    const parsed = parseFieldInput(kind, raw);
    if ('error' in parsed) {
      setProblem(parsed.error);
      return;
    }
    await save(parsed.value);
  };

  const save = async (v: string | number | boolean) => {
    setSaving(true);
    setProblem(null);
    try {
      await onCommit(name, v);
    } catch (err) {
      setProblem((err as { message?: string }).message ?? 'Could not save.');
    } finally {
      setSaving(false);
    }
  };

  const id = `field-${name.replace(/\W+/g, '-')}`;
  let input;
  if (kind === 'bool') {
    input = (
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={disabled || saving}
        data-testid={`field-${name}`}
        onChange={(e) => void commit(e.target.checked)}
      />
    );
  } else if (kind === 'select') {
    input = (
      <select
        id={id}
        className="select input-compact"
        value={text}
        disabled={disabled || saving}
        data-testid={`field-${name}`}
        onChange={(e) => {
          setText(e.target.value);
          void commit(e.target.value);
        }}
      >
        {(options ?? []).map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else {
    input = (
      <input
        id={id}
        className="input input-compact"
        inputMode={kind === 'text' ? undefined : 'decimal'}
        value={text}
        disabled={disabled || saving}
        data-testid={`field-${name}`}
        aria-invalid={problem !== null || undefined}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void commit(text)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void commit(text);
          } else if (e.key === 'Escape') {
            e.stopPropagation();
            setText(shown);
            setProblem(null);
          }
        }}
      />
    );
  }
  return (
    <div className={kind === 'bool' ? 'drawer-field is-bool' : 'drawer-field'}>
      <label htmlFor={id} className="drawer-label">
        {label}
      </label>
      <div className="drawer-value">
        {input}
        {problem !== null && <span className="field-problem">{problem}</span>}
      </div>
    </div>
  );
}
