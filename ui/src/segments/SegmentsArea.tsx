// Owns the segments area: the builder with its live exact count (debounced, never blocking typing),
// saving under a name, the saved and built-in segments with their counts, and opening one in the
// contacts table.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { tagsList, toApiError, type ApiError } from '../api';
import { Badge, Button, Dialog, EmptyState, Toast } from '../components';
import { formatNumber } from '../format';
import { useDebounced } from '../useDebounced';
import {
  SEGMENT_CODES,
  segmentsCount,
  segmentsDelete,
  segmentsFields,
  segmentsList,
  segmentsSave,
  type CountedSegment,
  type FieldSpec,
} from './api';
import { SegmentBuilder } from './SegmentBuilder';
import { ScoringRules } from './ScoringRules';
import { conditionCount, newGroup, rootOf, toJson, type GroupDraft } from './segmentDraft';
import './segments.css';

export const COUNT_DEBOUNCE_MS = 250;

export interface SegmentsAreaProps {
  storeId: string | null;
  onError: (error: ApiError) => void;
  /** Show the contacts table filtered to this saved segment. */
  onOpenSegment?: (name: string) => void;
}

type Live = { key: string; count: number; error: null } | { key: string; count: null; error: string };

export function SegmentsArea({ storeId, onError, onOpenSegment }: SegmentsAreaProps) {
  if (storeId === null) {
    return (
      <EmptyState title="No store yet">
        <p>Segments group the fans of a store. Load sample fans or import a CSV first.</p>
      </EmptyState>
    );
  }
  return <SegmentsOfStore key={storeId} storeId={storeId} onError={onError} onOpenSegment={onOpenSegment} />;
}

function SegmentsOfStore({ storeId, onError, onOpenSegment }: SegmentsAreaProps & { storeId: string }) {
  const [fields, setFields] = useState<FieldSpec[] | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [root, setRoot] = useState<GroupDraft>(() => newGroup('all'));
  const [name, setName] = useState('');
  const [saved, setSaved] = useState<CountedSegment[] | null>(null);
  const [listGen, setListGen] = useState(0);
  const [live, setLive] = useState<Live | null>(null);
  const [saving, setSaving] = useState(false);
  const [confirmReplace, setConfirmReplace] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const report = useCallback((err: unknown) => onError(toApiError(err)), [onError]);
  const closeNotice = useCallback(() => setNotice(null), []);

  useEffect(() => {
    let cancelled = false;
    segmentsFields(storeId).then((f) => !cancelled && setFields(f), (err) => !cancelled && report(err));
    tagsList(storeId).then((t) => !cancelled && setTags(t.map((x) => x.name)), () => {});
    return () => {
      cancelled = true;
    };
  }, [storeId, report]);

  useEffect(() => {
    let cancelled = false;
    segmentsList(storeId).then((l) => !cancelled && setSaved(l), (err) => !cancelled && report(err));
    return () => {
      cancelled = true;
    };
  }, [storeId, listGen, report]);

  // ----- live exact count -----------------------------------------------------
  const json = useMemo(() => (fields === null ? null : toJson(root, fields)), [root, fields]);
  const key = json === null ? '' : JSON.stringify(json);
  const settledKey = useDebounced(key, COUNT_DEBOUNCE_MS);
  const empty = conditionCount(root) === 0;
  useEffect(() => {
    if (settledKey === '' || empty) return;
    let cancelled = false;
    segmentsCount(storeId, JSON.parse(settledKey)).then(
      (count) => !cancelled && setLive({ key: settledKey, count, error: null }),
      (err) => {
        if (cancelled) return;
        const e = toApiError(err);
        if (e.code === SEGMENT_CODES.invalid) setLive({ key: settledKey, count: null, error: e.message });
        else report(e);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [storeId, settledKey, empty, report]);

  const current = live !== null && live.key === key ? live : null;
  const invalid = current?.error ?? null;
  const counting = !empty && current === null;
  const shownCount = current?.count ?? live?.count ?? null;

  // ----- save / delete ------------------------------------------------------------
  const save = async (replace: boolean) => {
    if (json === null) return;
    setSaving(true);
    try {
      const done = await segmentsSave(storeId, name, json, replace);
      setConfirmReplace(null);
      setName(done.name);
      setNotice(`Saved “${done.name}”.`);
      setListGen((g) => g + 1);
    } catch (err) {
      const e = toApiError(err);
      if (e.code === SEGMENT_CODES.exists && !replace) setConfirmReplace(name.trim());
      else report(e);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (segment: string) => {
    try {
      await segmentsDelete(storeId, segment);
      setNotice(`Deleted “${segment}”.`);
      setListGen((g) => g + 1);
    } catch (err) {
      report(err);
    } finally {
      setConfirmDelete(null);
    }
  };

  const edit = (s: CountedSegment) => {
    if (fields === null) return;
    setRoot(rootOf(s.definition, fields));
    setName(s.builtin ? '' : s.name);
  };

  const canSave = !empty && invalid === null && !counting && name.trim() !== '' && !saving;

  return (
    <div className="segments-area">
      <aside className="segments-sidebar" aria-label="Saved segments">
        <h2 className="sidebar-title">Segments</h2>
        {saved === null ? (
          <p className="quiet-state">Counting…</p>
        ) : (
          <ul className="saved-segments" data-testid="saved-segments">
            {saved.map((s) => (
              <li key={s.name} className="saved-segment" data-testid="saved-segment" data-name={s.name} data-count={s.count}>
                <div className="saved-head">
                  <span className="saved-name">{s.name}</span>
                  <span className="saved-count">{formatNumber(s.count)}</span>
                </div>
                <div className="saved-actions">
                  {s.builtin && <Badge>built-in</Badge>}
                  <button type="button" className="link-button" data-testid="segment-open" onClick={() => onOpenSegment?.(s.name)}>
                    Open
                  </button>
                  <button type="button" className="link-button" data-testid="segment-edit" onClick={() => edit(s)}>
                    {s.builtin ? 'Copy' : 'Edit'}
                  </button>
                  {!s.builtin && (
                    <button type="button" className="link-button" data-testid="segment-delete" onClick={() => setConfirmDelete(s.name)}>
                      Delete
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <section className="segments-main">
        <div className="segment-toolbar">
          <span
            className={`segment-count${invalid !== null ? ' is-invalid' : ''}`}
            data-testid="segment-count"
            data-state={empty ? 'empty' : counting ? 'counting' : invalid !== null ? 'invalid' : 'ready'}
            data-count={current?.count ?? undefined}
            aria-live="polite"
            aria-busy={counting}
          >
            {empty
              ? 'No conditions yet'
              : invalid !== null
                ? 'Not counted: fix the segment'
                : shownCount === null
                  ? 'Counting…'
                  : `${formatNumber(shownCount)} ${shownCount === 1 ? 'fan' : 'fans'}`}
            {counting && <span className="spinner spinner-small" aria-hidden="true" />}
          </span>
          <span className="spacer" />
          <input
            className="input"
            data-testid="segment-name"
            aria-label="Segment name"
            placeholder="Segment name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && canSave && void save(false)}
          />
          <Button variant="primary" data-testid="segment-save" disabled={!canSave} busy={saving} onClick={() => void save(false)}>
            Save segment
          </Button>
          <Button variant="ghost" data-testid="segment-clear" disabled={empty} onClick={() => setRoot(newGroup('all'))}>
            Start over
          </Button>
        </div>
        {invalid !== null && (
          <p className="segment-error" role="alert" data-testid="segment-error">
            {invalid}
          </p>
        )}
        {fields === null ? (
          <p className="quiet-state">Loading fields…</p>
        ) : (
          <SegmentBuilder root={root} fields={fields} tags={tags} error={invalid} onChange={setRoot} />
        )}
        <details className="segment-json-view">
          <summary>Segment JSON</summary>
          <pre data-testid="segment-json">{json === null ? '' : JSON.stringify(json, null, 2)}</pre>
        </details>
        <ScoringRules
          storeId={storeId}
          segment={empty || invalid !== null ? null : json}
          onLoadCondition={(segment) => fields !== null && setRoot(rootOf(segment, fields))}
          onError={onError}
          onNotice={setNotice}
        />
      </section>
      {confirmReplace !== null && (
        <Dialog
          title="Replace the saved segment?"
          data-testid="confirm-replace"
          onCancel={() => setConfirmReplace(null)}
          actions={
            <>
              <Button onClick={() => setConfirmReplace(null)}>Cancel</Button>
              <Button variant="primary" data-testid="confirm-replace-ok" busy={saving} onClick={() => void save(true)}>
                Replace
              </Button>
            </>
          }
        >
          <p>A segment named “{confirmReplace}” already exists. Replace its conditions with these?</p>
        </Dialog>
      )}
      {confirmDelete !== null && (
        <Dialog
          title="Delete the segment?"
          data-testid="confirm-delete"
          onCancel={() => setConfirmDelete(null)}
          actions={
            <>
              <Button onClick={() => setConfirmDelete(null)}>Cancel</Button>
              <Button variant="primary" data-testid="confirm-delete-ok" onClick={() => void remove(confirmDelete)}>
                Delete
              </Button>
            </>
          }
        >
          <p>Delete “{confirmDelete}”? Its fans are not changed; only the saved conditions go.</p>
        </Dialog>
      )}
      {notice !== null && <Toast onClose={closeNotice}>{notice}</Toast>}
    </div>
  );
}
