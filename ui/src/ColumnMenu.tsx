// Owns the column show/hide menu and remembers the choice on this computer.
import { useEffect, useRef, useState } from 'react';
import { contactColumns, defaultColumnVisibility } from './contactColumns';

const STORAGE_KEY = 'fanbase.columns';

export function readColumnVisibility(): Record<string, boolean> {
  const defaults = defaultColumnVisibility();
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Record<string, unknown>;
    for (const k of Object.keys(defaults)) if (typeof saved[k] === 'boolean') defaults[k] = saved[k] as boolean;
  } catch {
    // A damaged setting falls back to the defaults.
  }
  return defaults;
}

export function writeColumnVisibility(v: Record<string, boolean>): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(v));
  } catch {
    // Storage may be unavailable; the choice then lasts for this session.
  }
}

export function ColumnMenu({
  visibility,
  onChange,
}: {
  visibility: Record<string, boolean>;
  onChange: (next: Record<string, boolean>) => void;
}) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (e: MouseEvent) => {
      if (box.current !== null && !box.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', away);
    return () => document.removeEventListener('mousedown', away);
  }, [open]);
  const shown = Object.values(visibility).filter(Boolean).length;
  return (
    <div className="menu-anchor" ref={box}>
      <button
        type="button"
        className="btn btn-secondary"
        aria-haspopup="true"
        aria-expanded={open}
        data-testid="columns-button"
        onClick={() => setOpen(!open)}
      >
        Columns
      </button>
      {open && (
        <div className="menu menu-columns" data-testid="columns-menu" onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {contactColumns.map((c) => {
            const id = c.id as string;
            const on = visibility[id] !== false;
            return (
              <label key={id} className="menu-check">
                <input
                  type="checkbox"
                  checked={on}
                  data-column={id}
                  disabled={on && shown === 1}
                  onChange={() => onChange({ ...visibility, [id]: !on })}
                />
                {String(c.header)}
              </label>
            );
          })}
        </div>
      )}
    </div>
  );
}
