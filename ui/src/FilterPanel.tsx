// Owns the filter controls (type, status, account, tag, DAW, genre, level, score range) and the row of active filter chips.
import { useState } from 'react';
import type { TagCount } from './api';
import {
  filterChips,
  parseList,
  parseScore,
  removeChip,
  STATUS_OPTIONS,
  toggleValue,
  TYPE_OPTIONS,
  type FilterState,
} from './contactQuery';
import { statusLabel, typeLabel } from './format';

export interface FilterPanelProps {
  filters: FilterState;
  onChange: (next: FilterState) => void;
  tags: TagCount[];
}

/** A text box that adds comma-separated values to a list filter on Enter. */
function ValuesInput({
  label,
  testId,
  onAdd,
}: {
  label: string;
  testId: string;
  onAdd: (values: string[]) => void;
}) {
  const [text, setText] = useState('');
  const add = () => {
    const values = parseList(text);
    if (values.length > 0) onAdd(values);
    setText('');
  };
  return (
    <label className="filter-field">
      <span className="filter-label">{label}</span>
      <input
        className="input input-compact"
        data-testid={testId}
        placeholder="Type, then Enter"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={add}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
    </label>
  );
}

function ScoreInput({ label, value, onSet }: { label: string; value: number | null; onSet: (v: number | null) => void }) {
  const [text, setText] = useState(value === null ? '' : String(value));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    setText(value === null ? '' : String(value));
  }
  return (
    <input
      className="input input-compact input-score"
      aria-label={label}
      placeholder={label}
      inputMode="numeric"
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onSet(parseScore(text))}
      onKeyDown={(e) => e.key === 'Enter' && onSet(parseScore(text))}
    />
  );
}

export function FilterPanel({ filters, onChange, tags }: FilterPanelProps) {
  const f = filters;
  return (
    <div className="filter-panel" data-testid="filter-panel">
      <div className="filter-field">
        <span className="filter-label">Type</span>
        <div className="toggle-group">
          {TYPE_OPTIONS.map((t) => (
            <button
              key={t}
              type="button"
              className="toggle"
              aria-pressed={f.type.includes(t)}
              data-testid={`filter-type-${t}`}
              onClick={() => onChange(toggleValue(f, 'type', t))}
            >
              {typeLabel(t)}
            </button>
          ))}
        </div>
      </div>
      <div className="filter-field">
        <span className="filter-label">Status</span>
        <div className="toggle-group">
          {STATUS_OPTIONS.map((s) => (
            <button
              key={s}
              type="button"
              className="toggle"
              aria-pressed={f.status.includes(s)}
              onClick={() => onChange(toggleValue(f, 'status', s))}
            >
              {statusLabel(s)}
            </button>
          ))}
        </div>
      </div>
      <div className="filter-field">
        <span className="filter-label">Account</span>
        <div className="toggle-group">
          {(
            [
              [null, 'Any'],
              [true, 'Has account'],
              [false, 'No account'],
            ] as const
          ).map(([v, label]) => (
            <button
              key={label}
              type="button"
              className="toggle"
              aria-pressed={f.hasAccount === v}
              data-testid={v === true ? 'filter-has-account' : undefined}
              onClick={() => onChange({ ...f, hasAccount: v })}
            >
              {label}
            </button>
          ))}
        </div>
      </div>
      <label className="filter-field">
        <span className="filter-label">Tag</span>
        <select
          className="select input-compact"
          value=""
          onChange={(e) => e.target.value !== '' && onChange(toggleValue(f, 'tag', e.target.value))}
        >
          <option value="">Add a tag…</option>
          {tags
            .filter((t) => !f.tag.includes(t.name))
            .map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
        </select>
      </label>
      <ValuesInput label="DAW" testId="filter-daw" onAdd={(v) => onChange({ ...f, daw: [...new Set([...f.daw, ...v])] })} />
      <ValuesInput label="Genre" testId="filter-genre" onAdd={(v) => onChange({ ...f, genre: [...new Set([...f.genre, ...v])] })} />
      <ValuesInput label="Level" testId="filter-level" onAdd={(v) => onChange({ ...f, level: [...new Set([...f.level, ...v])] })} />
      <div className="filter-field">
        <span className="filter-label">Score</span>
        <ScoreInput label="Min" value={f.scoreMin} onSet={(v) => onChange({ ...f, scoreMin: v })} />
        <span className="filter-dash">–</span>
        <ScoreInput label="Max" value={f.scoreMax} onSet={(v) => onChange({ ...f, scoreMax: v })} />
      </div>
    </div>
  );
}

/** The active filters as removable chips. */
export function FilterChips({ filters, onChange }: { filters: FilterState; onChange: (next: FilterState) => void }) {
  const chips = filterChips(filters);
  if (chips.length === 0) return null;
  return (
    <div className="filter-chips" data-testid="filter-chips">
      {chips.map((c) => (
        <span key={c.id} className="filter-chip" data-testid="filter-chip" data-chip={c.id}>
          <span className="chip-text">{c.label}</span>
          <button type="button" aria-label={`Remove filter ${c.label}`} onClick={() => onChange(removeChip(filters, c.id))}>
            ×
          </button>
        </span>
      ))}
      {chips.length > 1 && (
        <button
          type="button"
          className="link-button"
          onClick={() => onChange({ ...filters, ...clearedLists })}
        >
          Clear all
        </button>
      )}
    </div>
  );
}

const clearedLists: Partial<FilterState> = {
  type: [],
  status: [],
  hasAccount: null,
  tag: [],
  daw: [],
  genre: [],
  level: [],
  scoreMin: null,
  scoreMax: null,
};
