// Owns the bulk tag dialog: add or remove one tag on the selected fans or on every fan the current search and filter match, confirming the exact number.
import { useState } from 'react';
import type { TagCount } from './api';
import { Button, Dialog } from './components';
import { formatNumber } from './format';

export type BulkScope = 'selected' | 'matching';
export type BulkAction = 'add' | 'remove';

export interface BulkTagDialogProps {
  /** Selected fans (users without a fan record are left out). */
  selectedCount: number;
  /** Exact number of fans the current search and filter match; null while counting. */
  matchingCount: number | null;
  tags: TagCount[];
  onCancel: () => void;
  onConfirm: (action: BulkAction, scope: BulkScope, tag: string) => Promise<void>;
}

/** The confirmation sentence, with the exact number of fans concerned. */
export function bulkConfirmText(action: BulkAction, tag: string, n: number, scope: BulkScope): string {
  const fans = `${formatNumber(n)} ${n === 1 ? 'fan' : 'fans'}`;
  const which = scope === 'selected' ? `the ${fans} selected` : `all ${fans} matching the current search and filter`;
  return action === 'add' ? `Add “${tag}” to ${which}?` : `Remove “${tag}” from ${which}?`;
}

export function BulkTagDialog({ selectedCount, matchingCount, tags, onCancel, onConfirm }: BulkTagDialogProps) {
  const [scope, setScope] = useState<BulkScope>(selectedCount > 0 ? 'selected' : 'matching');
  const [action, setAction] = useState<BulkAction>('add');
  const [tag, setTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const n = scope === 'selected' ? selectedCount : matchingCount;
  const name = tag.trim();
  const ready = name !== '' && n !== null && n > 0 && !busy;

  const confirm = async () => {
    if (!ready) return;
    setBusy(true);
    setProblem(null);
    try {
      await onConfirm(action, scope, name);
    } catch (err) {
      setProblem((err as { message?: string }).message ?? 'That did not work.');
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={action === 'add' ? 'Add a tag' : 'Remove a tag'}
      onCancel={onCancel}
      data-testid="bulk-tag-dialog"
      actions={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" busy={busy} disabled={!ready} data-testid="bulk-confirm" onClick={() => void confirm()}>
            {n === null ? 'Counting…' : `${action === 'add' ? 'Add to' : 'Remove from'} ${formatNumber(n)} ${n === 1 ? 'fan' : 'fans'}`}
          </Button>
        </>
      }
    >
      <form
        className="bulk-form"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        <div className="segmented" role="radiogroup" aria-label="Action">
          {(['add', 'remove'] as const).map((a) => (
            <label key={a} className={action === a ? 'is-on' : ''}>
              <input type="radio" name="bulk-action" checked={action === a} onChange={() => setAction(a)} />
              {a === 'add' ? 'Add tag' : 'Remove tag'}
            </label>
          ))}
        </div>
        <label className="stack-field">
          <span>Tag</span>
          <input
            className="input"
            data-testid="bulk-tag-input"
            list="bulk-tag-names"
            value={tag}
            maxLength={100}
            onChange={(e) => setTag(e.target.value)}
            placeholder="e.g. vip"
          />
          <datalist id="bulk-tag-names">
            {tags.map((t) => (
              <option key={t.name} value={t.name} />
            ))}
          </datalist>
        </label>
        <fieldset className="scope">
          <legend>Fans</legend>
          <label>
            <input
              type="radio"
              name="bulk-scope"
              checked={scope === 'selected'}
              disabled={selectedCount === 0}
              onChange={() => setScope('selected')}
            />
            The {formatNumber(selectedCount)} selected
          </label>
          <label>
            <input type="radio" name="bulk-scope" checked={scope === 'matching'} onChange={() => setScope('matching')} />
            All {matchingCount === null ? '…' : formatNumber(matchingCount)} matching the current search and filter
          </label>
        </fieldset>
      </form>
      {name !== '' && n !== null && (
        <p className="dialog-note" data-testid="bulk-summary" data-count={n}>
          {bulkConfirmText(action, name, n, scope)}
        </p>
      )}
      {problem !== null && <p className="dialog-problem">{problem}</p>}
    </Dialog>
  );
}
