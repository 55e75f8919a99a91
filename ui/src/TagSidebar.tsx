// Owns the tag sidebar: every tag with its exact count, click to filter by it, and rename / merge / delete (with confirmation) dialogs.
import { useState } from 'react';
import type { TagCount } from './api';
import { Button, Dialog } from './components';
import { formatNumber } from './format';

export interface TagSidebarProps {
  tags: TagCount[] | null;
  /** Tags the list is filtered by. */
  active: string[];
  onToggle: (tag: string) => void;
  onRename: (from: string, to: string) => Promise<void>;
  onMerge: (from: string, into: string) => Promise<void>;
  /** Called once the user confirmed; the caller offers undo. */
  onDelete: (tag: string) => Promise<void>;
}

type Editing =
  | { kind: 'rename'; tag: TagCount; text: string }
  | { kind: 'merge'; tag: TagCount; into: string }
  | { kind: 'delete'; tag: TagCount };

function sameTag(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

export function TagSidebar({ tags, active, onToggle, onRename, onMerge, onDelete }: TagSidebarProps) {
  const [menuFor, setMenuFor] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const close = () => {
    setEditing(null);
    setProblem(null);
  };

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setProblem(null);
    try {
      await work();
      close();
    } catch (err) {
      setProblem((err as { message?: string }).message ?? 'That did not work.');
    } finally {
      setBusy(false);
    }
  };

  const open = (e: Editing) => {
    setMenuFor(null);
    setProblem(null);
    setEditing(e);
  };

  const others = (tag: TagCount) => (tags ?? []).filter((t) => !sameTag(t.name, tag.name));

  return (
    <aside className="tag-sidebar" data-testid="tag-sidebar" aria-label="Tags">
      <h2 className="sidebar-title">Tags</h2>
      {tags === null ? (
        <p className="sidebar-quiet">Loading tags…</p>
      ) : tags.length === 0 ? (
        <p className="sidebar-quiet">No tags yet. Add one from a fan's drawer or to many fans at once with “Tag…”.</p>
      ) : (
        <ul className="tag-list">
          {tags.map((t) => {
            const on = active.some((a) => sameTag(a, t.name));
            return (
              <li
                key={t.name}
                className={on ? 'tag-item is-on' : 'tag-item'}
                data-testid="tag-item"
                data-tag={t.name}
                data-count={t.count}
              >
                <button
                  type="button"
                  className="tag-filter"
                  aria-pressed={on}
                  title={on ? `Stop filtering by ${t.name}` : `Show only fans tagged ${t.name}`}
                  onClick={() => onToggle(t.name)}
                >
                  <span className="tag-name">{t.name}</span>
                  <span className="tag-count num">{formatNumber(t.count)}</span>
                </button>
                <button
                  type="button"
                  className="tag-menu-button"
                  aria-label={`Actions for tag ${t.name}`}
                  aria-haspopup="menu"
                  aria-expanded={menuFor === t.name}
                  data-testid="tag-menu"
                  onClick={() => setMenuFor(menuFor === t.name ? null : t.name)}
                >
                  ⋯
                </button>
                {menuFor === t.name && (
                  <div className="menu" role="menu" onKeyDown={(e) => e.key === 'Escape' && setMenuFor(null)}>
                    <button type="button" role="menuitem" onClick={() => open({ kind: 'rename', tag: t, text: t.name })}>
                      Rename…
                    </button>
                    <button
                      type="button"
                      role="menuitem"
                      disabled={others(t).length === 0}
                      onClick={() => open({ kind: 'merge', tag: t, into: others(t)[0]?.name ?? '' })}
                    >
                      Merge into…
                    </button>
                    <button
                      type="button"
                      role="menuitem"
                      className="danger"
                      data-testid="tag-delete"
                      onClick={() => open({ kind: 'delete', tag: t })}
                    >
                      Delete…
                    </button>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}

      {editing?.kind === 'rename' && (
        <Dialog
          title={`Rename “${editing.tag.name}”`}
          onCancel={close}
          actions={
            <>
              <Button onClick={close}>Cancel</Button>
              <Button
                variant="primary"
                busy={busy}
                disabled={editing.text.trim() === '' || editing.text.trim() === editing.tag.name}
                onClick={() => void run(() => onRename(editing.tag.name, editing.text))}
              >
                Rename
              </Button>
            </>
          }
        >
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (editing.text.trim() !== '') void run(() => onRename(editing.tag.name, editing.text));
            }}
          >
            <label className="stack-field">
              <span>New name</span>
              <input
                className="input"
                value={editing.text}
                maxLength={100}
                onChange={(e) => setEditing({ ...editing, text: e.target.value })}
              />
            </label>
          </form>
          <p className="dialog-note">
            {formatNumber(editing.tag.count)} {editing.tag.count === 1 ? 'fan keeps' : 'fans keep'} the tag under its new
            name.
          </p>
          {problem !== null && <p className="dialog-problem">{problem}</p>}
        </Dialog>
      )}

      {editing?.kind === 'merge' && (
        <Dialog
          title={`Merge “${editing.tag.name}”`}
          onCancel={close}
          actions={
            <>
              <Button onClick={close}>Cancel</Button>
              <Button
                variant="primary"
                busy={busy}
                disabled={editing.into === ''}
                onClick={() => void run(() => onMerge(editing.tag.name, editing.into))}
              >
                Merge
              </Button>
            </>
          }
        >
          <label className="stack-field">
            <span>Into</span>
            <select
              className="select"
              value={editing.into}
              onChange={(e) => setEditing({ ...editing, into: e.target.value })}
            >
              {others(editing.tag).map((t) => (
                <option key={t.name} value={t.name}>
                  {`${t.name} (${formatNumber(t.count)})`}
                </option>
              ))}
            </select>
          </label>
          <p className="dialog-note">
            The {formatNumber(editing.tag.count)} {editing.tag.count === 1 ? 'fan' : 'fans'} tagged “{editing.tag.name}”
            get “{editing.into}” instead, and “{editing.tag.name}” is removed.
          </p>
          {problem !== null && <p className="dialog-problem">{problem}</p>}
        </Dialog>
      )}

      {editing?.kind === 'delete' && (
        <Dialog
          title={`Delete “${editing.tag.name}”?`}
          onCancel={close}
          data-testid="confirm-delete-tag"
          actions={
            <>
              <Button onClick={close}>Cancel</Button>
              <Button
                variant="primary"
                className="btn-danger"
                busy={busy}
                data-testid="confirm"
                onClick={() => void run(() => onDelete(editing.tag.name))}
              >
                Delete tag
              </Button>
            </>
          }
        >
          <p className="dialog-note">
            The tag is removed from {formatNumber(editing.tag.count)} {editing.tag.count === 1 ? 'fan' : 'fans'}. You can
            undo this right after.
          </p>
          {problem !== null && <p className="dialog-problem">{problem}</p>}
        </Dialog>
      )}
    </aside>
  );
}
