// Owns the lead-scoring panel: the store's rules (points per event kind, optionally expiring, or
// while a fan matches a condition built above), adding, editing and deleting them, and recomputing.
import { useCallback, useEffect, useState } from 'react';
import { toApiError, type ApiError } from '../api';
import { Button, Dialog } from '../components';
import { formatNumber } from '../format';
import {
  scoringEventKinds,
  scoringRecompute,
  scoringRuleDelete,
  scoringRuleSet,
  scoringRules,
  type ScoringRule,
  type SegmentJson,
} from './api';

/** The trigger choice of the form: an event kind, or the segment being built. */
export const CONDITION = 'condition';

export interface ScoringRulesProps {
  storeId: string;
  /** The segment in the builder (null when empty or invalid): a condition rule scores it. */
  segment: SegmentJson | null;
  /** Loads a condition rule's segment into the builder, to edit it there. */
  onLoadCondition: (segment: SegmentJson) => void;
  onError: (error: ApiError) => void;
  onNotice: (text: string) => void;
}

interface Form {
  name: string;
  trigger: string;
  points: string;
  expires: string;
}

const EMPTY: Form = { name: '', trigger: 'open', points: '10', expires: '' };

/** The rule a filled-in form describes, or why it cannot be saved yet. */
export function ruleOf(form: Form, segment: SegmentJson | null): ScoringRule | string {
  const name = form.name.trim();
  if (name === '') return 'Give the rule a name.';
  if (!/^-?\d+$/.test(form.points.trim())) return 'Points are a whole number (negative to take away).';
  const points = Number(form.points.trim());
  if (form.trigger === CONDITION) {
    if (segment === null) return 'Build a valid segment above: a condition rule scores the fans it matches.';
    return { name, condition: segment, points };
  }
  const rule: ScoringRule = { name, event: form.trigger, points };
  if (form.expires.trim() !== '') {
    if (!/^\d+$/.test(form.expires.trim()) || Number(form.expires) < 1) return 'Expiry is a number of days, 1 or more.';
    rule.expires_days = Number(form.expires.trim());
  }
  return rule;
}

function describe(rule: ScoringRule): string {
  if (rule.event !== undefined) {
    const each = `each ${rule.event}`;
    return rule.expires_days === undefined ? each : `${each}, for ${formatNumber(rule.expires_days)} days`;
  }
  return 'while the fan matches its condition';
}

export function ScoringRules({ storeId, segment, onLoadCondition, onError, onNotice }: ScoringRulesProps) {
  const [rules, setRules] = useState<ScoringRule[] | null>(null);
  const [kinds, setKinds] = useState<string[]>([]);
  const [form, setForm] = useState<Form>(EMPTY);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [recomputing, setRecomputing] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  const reload = useCallback(() => {
    scoringRules(storeId).then(setRules, (err) => {
      setRules([]);
      onError(toApiError(err));
    });
  }, [storeId, onError]);

  useEffect(() => {
    reload();
    scoringEventKinds().then(setKinds, (err) => onError(toApiError(err)));
  }, [reload, onError]);

  const save = async () => {
    const rule = ruleOf(form, segment);
    if (typeof rule === 'string') {
      setProblem(rule);
      return;
    }
    setSaving(true);
    setProblem(null);
    try {
      await scoringRuleSet(storeId, rule);
      setForm(EMPTY);
      reload();
      onNotice(`Rule “${rule.name}” saved. Recompute scores to apply it to every fan.`);
    } catch (err) {
      setProblem(toApiError(err).message);
    } finally {
      setSaving(false);
    }
  };

  const edit = (rule: ScoringRule) => {
    setProblem(null);
    setForm({
      name: rule.name,
      trigger: rule.event ?? CONDITION,
      points: String(rule.points),
      expires: rule.expires_days === undefined ? '' : String(rule.expires_days),
    });
    if (rule.condition !== undefined) onLoadCondition(rule.condition);
  };

  const remove = async (name: string) => {
    setConfirmDelete(null);
    try {
      await scoringRuleDelete(storeId, name);
      reload();
      onNotice(`Rule “${name}” deleted. Recompute scores to apply the change.`);
    } catch (err) {
      onError(toApiError(err));
    }
  };

  const recompute = async () => {
    setRecomputing(true);
    try {
      const done = await scoringRecompute(storeId);
      onNotice(`Scores recomputed: ${formatNumber(done.changed)} of ${formatNumber(done.contacts)} fans changed.`);
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setRecomputing(false);
    }
  };

  const isEvent = form.trigger !== CONDITION;
  return (
    <section className="scoring-rules" aria-labelledby="scoring-title" data-testid="scoring-rules">
      <div className="scoring-head">
        <h3 id="scoring-title">Lead scoring</h3>
        <span className="spacer" />
        <Button data-testid="scoring-recompute" busy={recomputing} onClick={() => void recompute()}>
          {recomputing ? 'Recomputing…' : 'Recompute scores'}
        </Button>
      </div>
      {rules === null ? (
        <p className="quiet-state">Loading rules…</p>
      ) : rules.length === 0 ? (
        <p className="scoring-empty">No rules: every fan scores 0.</p>
      ) : (
        <table className="scoring-table">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Scores</th>
              <th scope="col" className="num">
                Points
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.name} data-testid="scoring-rule" data-name={r.name} data-points={r.points}>
                <td>{r.name}</td>
                <td title={r.condition === undefined ? undefined : JSON.stringify(r.condition)}>{describe(r)}</td>
                <td className="num">{r.points > 0 ? `+${r.points}` : r.points}</td>
                <td className="scoring-actions">
                  <button type="button" className="link-button" data-testid="scoring-edit" onClick={() => edit(r)}>
                    Edit
                  </button>
                  <button type="button" className="link-button" data-testid="scoring-delete" onClick={() => setConfirmDelete(r.name)}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="scoring-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input
            className="input"
            data-testid="scoring-name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">Scores</span>
          <select
            className="select"
            data-testid="scoring-trigger"
            value={form.trigger}
            onChange={(e) => setForm({ ...form, trigger: e.target.value })}
          >
            {kinds.map((k) => (
              <option key={k} value={k}>
                each {k}
              </option>
            ))}
            <option value={CONDITION}>while the fan matches the segment above</option>
          </select>
        </label>
        <label className="field field-narrow">
          <span className="field-label">Points</span>
          <input
            className="input"
            data-testid="scoring-points"
            inputMode="numeric"
            value={form.points}
            onChange={(e) => setForm({ ...form, points: e.target.value })}
          />
        </label>
        {isEvent && (
          <label className="field field-narrow">
            <span className="field-label">Expires after (days)</span>
            <input
              className="input"
              data-testid="scoring-expires"
              inputMode="numeric"
              placeholder="never"
              value={form.expires}
              onChange={(e) => setForm({ ...form, expires: e.target.value })}
            />
          </label>
        )}
        <Button type="submit" variant="primary" data-testid="scoring-save" busy={saving}>
          Save rule
        </Button>
      </form>
      {problem !== null && (
        <p className="segment-error" role="alert" data-testid="scoring-error">
          {problem}
        </p>
      )}
      {confirmDelete !== null && (
        <Dialog
          title="Delete the rule?"
          data-testid="scoring-confirm-delete"
          onCancel={() => setConfirmDelete(null)}
          actions={
            <>
              <Button onClick={() => setConfirmDelete(null)}>Cancel</Button>
              <Button variant="primary" data-testid="scoring-confirm-delete-ok" onClick={() => void remove(confirmDelete)}>
                Delete
              </Button>
            </>
          }
        >
          <p>Delete “{confirmDelete}”? Scores change when you recompute them.</p>
        </Dialog>
      )}
    </section>
  );
}
