// Owns the contact drawer: every field of one fan, custom fields, tags, engagement and spent, editable in place; edits are saved locally at once and marked pending sync.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  contactSetFields,
  contactShow,
  tagsAdd,
  tagsRemove,
  toApiError,
  type ApiError,
  type Contact,
  type ContactRow,
} from './api';
import { Badge, Button } from './components';
import { STATUS_OPTIONS, TYPE_OPTIONS } from './contactQuery';
import { EditableField } from './EditableField';
import { formatDate, statusLabel, typeLabel } from './format';

export interface ContactDrawerProps {
  storeId: string;
  /** The row that was opened (its email finds the contact). */
  row: ContactRow;
  onClose: () => void;
  /** Something of this contact changed: the list, counts and tags need a refresh. */
  onChanged: () => void;
  onError: (err: ApiError) => void;
  /** Changes when the data changed elsewhere (a sync): the contact is read again. */
  reloadKey?: number;
}

const TEXT_FIELDS: [string, string][] = [
  ['email', 'Email'],
  ['name', 'Name'],
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['phone', 'Phone'],
  ['source', 'Source'],
];

const MUSIC_FIELDS: [string, string][] = [
  ['daw', 'DAW'],
  ['type_of_music', 'Genre'],
  ['student_level', 'Level'],
];

function formatDateTime(ms: number): string {
  return ms > 0 ? new Date(ms).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
}

export function ContactDrawer({ storeId, row, onClose, onChanged, onError, reloadKey = 0 }: ContactDrawerProps) {
  const [contact, setContact] = useState<Contact | null | undefined>(undefined);
  const [email, setEmail] = useState(row.email);
  const [pending, setPending] = useState(0);
  const [newTag, setNewTag] = useState('');
  const [custom, setCustom] = useState({ key: '', value: '' });

  useEffect(() => {
    setEmail(row.email);
    setPending(0);
  }, [row.email, row.id]);

  const load = useCallback(
    async (which: string) => {
      try {
        setContact(await contactShow(storeId, which));
      } catch (err) {
        onError(toApiError(err));
      }
    },
    [storeId, onError],
  );

  useEffect(() => {
    if (row.fan === false) {
      setContact(null);
      return;
    }
    setContact(undefined);
    void load(email);
  }, [load, email, row.fan]);

  // Read again in place (no loading state) when the data changed elsewhere.
  const loadedFor = useRef(reloadKey);
  useEffect(() => {
    if (loadedFor.current === reloadKey) return;
    loadedFor.current = reloadKey;
    if (row.fan !== false) void load(email);
  }, [reloadKey, load, email, row.fan]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented && document.querySelector('[role=dialog]') === null) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const commit = async (name: string, value: string | number | boolean) => {
    if (contact == null) return;
    const edited = await contactSetFields(storeId, contact.id, { [name]: value });
    if (edited.change_id !== null) setPending((n) => n + 1);
    if (name === 'email' && typeof value === 'string') setEmail(value.trim());
    else await load(email);
    if (edited.changed.length > 0) onChanged();
  };

  const changeTag = async (tag: string, add: boolean) => {
    if (contact == null || tag.trim() === '') return;
    try {
      const target = { ids: [contact.id] };
      const done = add ? await tagsAdd(storeId, tag, target) : await tagsRemove(storeId, tag, target);
      if (done.changed > 0) {
        setPending((n) => n + done.changed);
        onChanged();
      }
      if (add) setNewTag('');
      await load(email);
    } catch (err) {
      onError(toApiError(err));
    }
  };

  const addCustom = async () => {
    const key = custom.key.trim();
    if (key === '') return;
    try {
      await commit(`custom.${key}`, custom.value);
      setCustom({ key: '', value: '' });
    } catch (err) {
      onError(toApiError(err));
    }
  };

  const title = row.name !== '' ? row.name : row.email;
  return (
    <aside className="drawer" data-testid="contact-drawer" data-email={contact?.email ?? row.email} aria-label="Fan details">
      <header className="drawer-head">
        <div className="drawer-titles">
          <h2 className="drawer-title" data-testid="drawer-name">
            {contact?.name || title}
          </h2>
          <div className="drawer-sub">{contact?.email ?? row.email}</div>
          <div className="drawer-badges">
            {row.type !== ('' as string) && <Badge tone={row.type === 'paying' ? 'success' : row.type === 'subscription' ? 'accent' : 'neutral'}>{typeLabel(contact?.type ?? row.type)}</Badge>}
            {row.has_account && <Badge tone="info">Registered user</Badge>}
            {pending > 0 && (
              <span className="pending-sync" data-testid="pending-sync" title="Saved on this computer; sent to the platform on the next sync.">
                ● Pending sync
              </span>
            )}
          </div>
        </div>
        <Button variant="ghost" aria-label="Close" data-testid="drawer-close" onClick={onClose}>
          ×
        </Button>
      </header>

      {contact === undefined && <p className="drawer-quiet">Loading…</p>}
      {contact === null && (
        <p className="drawer-quiet">
          {row.fan === false
            ? 'A registered platform user without a fan record in this store. There is nothing to edit here until they join the list.'
            : 'This fan is no longer in the store.'}
        </p>
      )}
      {contact != null && (
        <div className="drawer-body">
          <section className="drawer-section">
            <h3>Engagement</h3>
            <div className="stat-grid">
              <div className="stat">
                <span className="stat-label">Last open</span>
                <span className="stat-value">{formatDate(contact.last_open_date)}</span>
              </div>
              <div className="stat">
                <span className="stat-label">Spent</span>
                <span className="stat-value" data-testid="drawer-spent">
                  {contact.total_spent.toLocaleString('en-US', { style: 'currency', currency: 'USD' })}
                </span>
              </div>
            </div>
            <EditableField label="Opens emails" name="opens_email" kind="bool" value={contact.opens_email} onCommit={commit} />
            <EditableField label="Clicks links" name="clicks_links" kind="bool" value={contact.clicks_links} onCommit={commit} />
            <EditableField label="Total spent ($)" name="total_spent" kind="money" value={contact.total_spent} onCommit={commit} />
          </section>

          <section className="drawer-section">
            <h3>Tags</h3>
            <div className="drawer-tags" data-testid="drawer-tags">
              {contact.tags.length === 0 && <span className="drawer-quiet">No tags</span>}
              {contact.tags.map((t) => (
                <span className="chip chip-editable" key={t} data-tag={t}>
                  <span className="chip-text">{t}</span>
                  <button type="button" aria-label={`Remove tag ${t}`} onClick={() => void changeTag(t, false)}>
                    ×
                  </button>
                </span>
              ))}
            </div>
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void changeTag(newTag, true);
              }}
            >
              <input
                className="input input-compact"
                data-testid="drawer-tag-input"
                placeholder="Add a tag…"
                maxLength={100}
                value={newTag}
                onChange={(e) => setNewTag(e.target.value)}
              />
              <Button type="submit" disabled={newTag.trim() === ''}>
                Add
              </Button>
            </form>
          </section>

          <section className="drawer-section">
            <h3>Profile</h3>
            {TEXT_FIELDS.map(([name, label]) => (
              <EditableField key={name} label={label} name={name} kind="text" value={String(contact[name as keyof Contact] ?? '')} onCommit={commit} />
            ))}
            <EditableField
              label="Type"
              name="type"
              kind="select"
              value={contact.type}
              options={TYPE_OPTIONS.map((t) => ({ value: t, label: typeLabel(t) }))}
              onCommit={commit}
            />
            <EditableField
              label="Status"
              name="status"
              kind="select"
              value={contact.status}
              options={STATUS_OPTIONS.map((s) => ({ value: s, label: statusLabel(s) }))}
              onCommit={commit}
            />
            <EditableField label="Score" name="score" kind="number" value={contact.score} onCommit={commit} />
            {MUSIC_FIELDS.map(([name, label]) => (
              <EditableField key={name} label={label} name={name} kind="text" value={String(contact[name as keyof Contact] ?? '')} onCommit={commit} />
            ))}
          </section>

          <section className="drawer-section">
            <h3>Custom fields</h3>
            {Object.keys(contact.custom).length === 0 && <p className="drawer-quiet">No custom fields</p>}
            {Object.entries(contact.custom).map(([key, value]) => (
              <EditableField
                key={key}
                label={key}
                name={`custom.${key}`}
                kind="text"
                value={typeof value === 'string' ? value : JSON.stringify(value)}
                onCommit={commit}
              />
            ))}
            <form
              className="inline-form"
              onSubmit={(e) => {
                e.preventDefault();
                void addCustom();
              }}
            >
              <input
                className="input input-compact"
                placeholder="Field"
                aria-label="New custom field name"
                value={custom.key}
                onChange={(e) => setCustom({ ...custom, key: e.target.value })}
              />
              <input
                className="input input-compact"
                placeholder="Value"
                aria-label="New custom field value"
                value={custom.value}
                onChange={(e) => setCustom({ ...custom, value: e.target.value })}
              />
              <Button type="submit" disabled={custom.key.trim() === ''}>
                Add
              </Button>
            </form>
          </section>

          <section className="drawer-section drawer-record">
            <h3>Record</h3>
            <dl>
              <dt>Added</dt>
              <dd>{formatDateTime(contact.created_at)}</dd>
              <dt>Updated</dt>
              <dd>{formatDateTime(contact.updated_at)}</dd>
              <dt>Platform id</dt>
              <dd>{contact.remote_id ?? 'Not synced yet'}</dd>
            </dl>
          </section>
        </div>
      )}
    </aside>
  );
}
