// Owns one import from a path to its report: preview and mapping, options, the dry-run summary,
// the run with progress and Cancel, then the report. Drop, file dialog and the e2e path all end here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  importCancel,
  importHeaders,
  importInspect,
  importRun,
  importTargets,
  toApiError,
  type ApiError,
  type ImportPreview,
  type ImportProgress,
  type ImportReport,
  type OnExisting,
} from '../api';
import { Button } from '../components';
import { formatNumber } from '../format';
import { ImportMapping } from './ImportMapping';
import { ImportReportView } from './ImportReportView';
import {
  delimiterLabel,
  encodingLabel,
  fileNameOf,
  formatBytes,
  formatLabel,
  overridesFrom,
  parseTags,
  progressFigures,
  progressText,
  summaryDetail,
  summaryText,
} from './importFlow';
import './import.css';

/** Error code of a cancelled run (nothing was written). */
const CODE_CANCELLED = 'CANCELLED';
/** Wait after an edit before the dry run starts again. */
const DRY_RUN_DELAY_MS = 250;

let lastJob = 0;
function nextJob(): number {
  lastJob = (lastJob + 1) % 1_000_000_000;
  return lastJob;
}

type DryRun =
  | { kind: 'idle' }
  | { kind: 'running'; progress: ImportProgress | null }
  | { kind: 'done'; report: ImportReport }
  | { kind: 'failed'; error: ApiError };

type Stage =
  | { kind: 'setup' }
  | { kind: 'running'; job: number; progress: ImportProgress | null; cancelling: boolean }
  | { kind: 'done'; report: ImportReport };

const ON_EXISTING: { value: OnExisting; label: string; hint: string }[] = [
  { value: 'fill-empty', label: 'Fill empty fields', hint: 'Existing fans keep their data; only blank fields are filled.' },
  { value: 'overwrite', label: 'Overwrite', hint: "The file's non-blank values replace existing fields." },
  { value: 'skip', label: 'Skip', hint: 'Existing fans are left alone (tags are still added).' },
];

/** The code of a file whose header has no column recognised as the email. */
const CODE_NO_EMAIL_COLUMN = 'NO_EMAIL_COLUMN';

export interface ImportDialogProps {
  path: string;
  storeId: string;
  storeName: string;
  onClose: () => void;
  /** Called once the import is committed, to refresh the table and the count. */
  onImported: (report: ImportReport) => void;
}

export function ImportDialog({ path, storeId, storeName, onClose, onImported }: ImportDialogProps) {
  const [targets, setTargets] = useState<string[]>([]);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [fatal, setFatal] = useState<ApiError | null>(null);
  const [mappingError, setMappingError] = useState<ApiError | null>(null);
  const [chosen, setChosen] = useState<Record<string, string>>({});
  /** The file's headers when none is recognised as the email: the user picks the email column. */
  const [emailHeaders, setEmailHeaders] = useState<string[] | null>(null);
  const [pickedEmail, setPickedEmail] = useState<string | null>(null);
  const [inspectedKey, setInspectedKey] = useState<string | null>(null);
  const [onExisting, setOnExisting] = useState<OnExisting>('fill-empty');
  const [tagsText, setTagsText] = useState('');
  const [dryRun, setDryRun] = useState<DryRun>({ kind: 'idle' });
  const [stage, setStage] = useState<Stage>({ kind: 'setup' });
  const [notice, setNotice] = useState<string | null>(null);
  const [runError, setRunError] = useState<ApiError | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);

  const headers = useMemo(() => preview?.headers ?? [], [preview]);
  const map = useMemo(() => {
    const base = overridesFrom(headers, chosen);
    if (pickedEmail === null || chosen[pickedEmail] !== undefined) return base;
    return [{ header: pickedEmail, target: 'email' }, ...base.filter((o) => o.header !== pickedEmail)];
  }, [headers, chosen, pickedEmail]);
  const mapKey = JSON.stringify(map);
  const tags = useMemo(() => parseTags(tagsText), [tagsText]);
  const tagsKey = JSON.stringify(tags);
  const running = stage.kind === 'running';

  useEffect(() => {
    importTargets().then(setTargets, () => setTargets([]));
    dialogRef.current?.focus();
  }, []);

  // Inspect the file again whenever the hand-made mapping changes (it only reads the head).
  useEffect(() => {
    let gone = false;
    importInspect(path, JSON.parse(mapKey)).then(
      (p) => {
        if (gone) return;
        setPreview(p);
        setMappingError(null);
        setInspectedKey(mapKey);
      },
      (err) => {
        if (gone) return;
        const e = toApiError(err);
        if (mapKey !== '[]') setMappingError(e);
        else if (e.code === CODE_NO_EMAIL_COLUMN) {
          // Nothing looks like an email column: ask which one it is.
          setPreview(null);
          setMappingError(null);
          importHeaders(path).then(
            (h) => !gone && setEmailHeaders(h),
            () => !gone && setFatal(e),
          );
        } else setFatal(e);
      },
    );
    return () => {
      gone = true;
    };
  }, [path, mapKey]);

  // The dry run: the exact report, rolled back. Again after each change of mapping or options.
  const mappingReady = preview !== null && inspectedKey === mapKey && mappingError === null;
  useEffect(() => {
    if (!mappingReady || stage.kind !== 'setup') return;
    const job = nextJob();
    let gone = false;
    setDryRun({ kind: 'running', progress: null });
    const timer = window.setTimeout(() => {
      const options = { dry_run: true, on_existing: onExisting, map: JSON.parse(mapKey), tags: JSON.parse(tagsKey) };
      importRun(job, storeId, path, options, (progress) => {
        if (!gone) setDryRun({ kind: 'running', progress });
      }).then(
        (report) => !gone && setDryRun({ kind: 'done', report }),
        (err) => !gone && setDryRun({ kind: 'failed', error: toApiError(err) }),
      );
    }, DRY_RUN_DELAY_MS);
    return () => {
      gone = true;
      window.clearTimeout(timer);
      void importCancel(job).catch(() => undefined);
    };
  }, [mappingReady, stage.kind, storeId, path, mapKey, onExisting, tagsKey]);

  const startImport = useCallback(() => {
    const job = nextJob();
    setNotice(null);
    setRunError(null);
    setStage({ kind: 'running', job, progress: null, cancelling: false });
    const options = { dry_run: false, on_existing: onExisting, map, tags };
    importRun(job, storeId, path, options, (progress) =>
      setStage((s) => (s.kind === 'running' && s.job === job ? { ...s, progress } : s)),
    ).then(
      (report) => {
        setStage({ kind: 'done', report });
        onImported(report);
      },
      (err) => {
        const e = toApiError(err);
        setStage({ kind: 'setup' });
        if (e.code === CODE_CANCELLED) setNotice('Import cancelled: nothing was written.');
        else setRunError(e);
      },
    );
  }, [onExisting, map, tags, storeId, path, onImported]);

  const cancel = () => {
    if (stage.kind !== 'running') return;
    setStage({ ...stage, cancelling: true });
    void importCancel(stage.job).catch(() => undefined);
  };

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (running) cancel();
      else onClose();
    }
  };

  const canImport = stage.kind === 'setup' && dryRun.kind === 'done' && mappingReady;
  const title = stage.kind === 'done' ? 'Import finished' : running ? 'Importing…' : 'Import fans';

  return (
    <div className="import-backdrop">
      <div
        className="import-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-title"
        data-testid="import-dialog"
        data-stage={fatal !== null ? 'failed' : stage.kind}
        tabIndex={-1}
        ref={dialogRef}
        onKeyDown={onKeyDown}
      >
        <header className="import-head">
          <h2 id="import-title">{title}</h2>
          <span className="import-file" title={path}>
            {preview?.file_name ?? fileNameOf(path)}
            {preview !== null && <span className="import-faint"> · {formatBytes(preview.size_bytes)}</span>}
          </span>
          <span className="import-faint">into {storeName}</span>
        </header>

        <div className="import-body">
          {fatal !== null ? (
            <p className="import-error" role="alert" data-testid="import-error" data-code={fatal.code}>
              {fatal.message}
            </p>
          ) : preview === null && emailHeaders !== null ? (
            <div className="import-pick-email" data-testid="import-pick-email">
              <p>No column of this file is recognised as the email address. Which column holds it?</p>
              <label className="field">
                <span className="field-label">Email column</span>
                <select
                  className="select"
                  data-testid="import-email-column"
                  value={pickedEmail ?? ''}
                  onChange={(e) => setPickedEmail(e.target.value === '' ? null : e.target.value)}
                >
                  <option value="">Choose a column…</option>
                  {emailHeaders.map((h, i) => (
                    <option key={`${i}:${h}`} value={h}>
                      {h === '' ? `Column ${i + 1}` : h}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          ) : preview === null ? (
            <p className="quiet-state">Reading the file…</p>
          ) : stage.kind === 'done' ? (
            <ImportReportView report={stage.report} />
          ) : (
            <>
              <dl className="import-facts" data-testid="import-facts" data-format={preview.format} data-encoding={preview.encoding}>
                <div>
                  <dt>Format</dt>
                  <dd>{formatLabel(preview.format)}</dd>
                </div>
                <div>
                  <dt>Encoding</dt>
                  <dd>{encodingLabel(preview.encoding)}</dd>
                </div>
                <div>
                  <dt>Separator</dt>
                  <dd>{delimiterLabel(preview.delimiter)}</dd>
                </div>
                <div>
                  <dt>Columns</dt>
                  <dd>{preview.headers.length}</dd>
                </div>
              </dl>

              <ImportMapping
                preview={preview}
                targets={targets}
                disabled={running}
                targetOf={(h, detected) => chosen[h] ?? detected}
                onChange={(h, t) => {
                  if (h === pickedEmail) setPickedEmail(null);
                  setChosen((c) => ({ ...c, [h]: t }));
                }}
              />
              {mappingError !== null && (
                <p className="import-error" role="alert" data-testid="import-mapping-error">
                  {mappingError.message}{' '}
                  <button
                    type="button"
                    className="import-link"
                    onClick={() => {
                      setChosen({});
                      setPickedEmail(null);
                    }}
                  >
                    Reset the mapping
                  </button>
                </p>
              )}

              <div className="import-options">
                <label className="field">
                  <span className="field-label">Existing fans</span>
                  <select
                    className="select"
                    data-testid="import-on-existing"
                    value={onExisting}
                    disabled={running}
                    onChange={(e) => setOnExisting(e.target.value as OnExisting)}
                  >
                    {ON_EXISTING.map((o) => (
                      <option key={o.value} value={o.value}>
                        {o.label}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="field">
                  <span className="field-label">Add tags</span>
                  <input
                    className="input"
                    data-testid="import-tags"
                    placeholder="e.g. from-activecampaign, 2024"
                    value={tagsText}
                    disabled={running}
                    onChange={(e) => setTagsText(e.target.value)}
                  />
                </label>
                <span className="import-faint">{ON_EXISTING.find((o) => o.value === onExisting)?.hint}</span>
              </div>

              {running ? (
                <RunProgress progress={stage.progress} />
              ) : (
                <DryRunSummary dryRun={dryRun} />
              )}
              {notice !== null && (
                <p className="import-notice" role="status" data-testid="import-notice">
                  {notice}
                </p>
              )}
              {runError !== null && (
                <p className="import-error" role="alert" data-testid="import-error" data-code={runError.code}>
                  {runError.message}
                </p>
              )}
            </>
          )}
        </div>

        <footer className="import-foot">
          {stage.kind === 'done' || fatal !== null ? (
            <Button variant="primary" data-testid="import-close" onClick={onClose}>
              {stage.kind === 'done' ? 'Done' : 'Close'}
            </Button>
          ) : running ? (
            <Button data-testid="import-cancel" busy={stage.cancelling} onClick={cancel}>
              {stage.cancelling ? 'Cancelling…' : 'Cancel import'}
            </Button>
          ) : (
            <>
              <Button variant="ghost" data-testid="import-close" onClick={onClose}>
                Cancel
              </Button>
              <Button variant="primary" data-testid="import-start" disabled={!canImport} onClick={startImport}>
                {dryRun.kind === 'done' ? `Import ${formatRows(dryRun.report.rows_read)}` : 'Import'}
              </Button>
            </>
          )}
        </footer>
      </div>
    </div>
  );
}

function formatRows(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? 'row' : 'rows'}`;
}

function DryRunSummary({ dryRun }: { dryRun: DryRun }) {
  if (dryRun.kind === 'idle') return null;
  if (dryRun.kind === 'failed') {
    return (
      <p className="import-error" role="alert" data-testid="import-summary-error" data-code={dryRun.error.code}>
        {dryRun.error.message}
      </p>
    );
  }
  if (dryRun.kind === 'running') {
    const figures = dryRun.progress === null ? null : progressFigures(dryRun.progress);
    return (
      <div className="import-summary is-pending" data-testid="import-summary" data-state="running" aria-live="polite">
        <span className="spinner" aria-hidden="true" />
        Checking every row{figures === null ? '…' : ` · ${progressText(figures)}`}
      </div>
    );
  }
  const r = dryRun.report;
  return (
    <div
      className="import-summary"
      data-testid="import-summary"
      data-state="done"
      data-rows={r.rows_read}
      data-inserted={r.inserted}
      data-updated={r.updated}
      data-unchanged={r.unchanged}
      data-duplicates={r.duplicates_in_file}
      data-rejected={r.rejected}
      aria-live="polite"
    >
      <strong className="import-summary-main">{summaryText(r)}</strong>
      <span className="import-summary-detail">{summaryDetail(r)}</span>
      {r.warnings.map((w) => (
        <span key={w} className="import-warning">
          {w}
        </span>
      ))}
    </div>
  );
}

function RunProgress({ progress }: { progress: ImportProgress | null }) {
  const figures = progress === null ? null : progressFigures(progress);
  return (
    <div className="import-progress" data-testid="import-progress" data-percent={figures?.percent ?? 0}>
      <progress max={100} value={figures?.percent ?? 0} aria-label="Import progress" />
      <span className="import-progress-text">
        {figures === null ? 'Starting…' : figures.finishing ? `${progressText(figures)} · finishing` : progressText(figures)}
      </span>
    </div>
  );
}
