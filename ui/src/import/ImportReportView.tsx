// Owns the end of an import: the counts, the warnings, the rejected rows and saving them as CSV.
import { useState } from 'react';
import { importSaveRejected, toApiError, type ImportReport } from '../api';
import { Button } from '../components';
import { formatNumber } from '../format';
import { formatElapsed, rejectedFileName, summaryDetail, summaryText } from './importFlow';
import { pickRejectedPath } from './native';

/** Rejected rows listed in the window; the saved CSV has all of them. */
export const LISTED_REJECTIONS = 200;

export function ImportReportView({ report }: { report: ImportReport }) {
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    if (report.id === null) return;
    setError(null);
    try {
      const path = await pickRejectedPath(rejectedFileName(report.file_name));
      if (path === null) return;
      setSaving(true);
      const n = await importSaveRejected(report.id, path);
      setSaved(`Saved ${formatNumber(n)} ${n === 1 ? 'row' : 'rows'} to ${path}`);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setSaving(false);
    }
  };

  const listed = report.errors.slice(0, LISTED_REJECTIONS);
  return (
    <section className="import-report" data-testid="import-report" data-inserted={report.inserted} data-updated={report.updated}
      data-unchanged={report.unchanged} data-duplicates={report.duplicates_in_file} data-rejected={report.rejected}
      data-rows={report.rows_read}>
      <p className="import-report-title">
        Imported in {formatElapsed(report.elapsed_ms)}: {summaryText(report, 'did')}
      </p>
      <p className="import-summary-detail">{summaryDetail(report)}</p>
      {report.warnings.map((w) => (
        <p key={w} className="import-warning">
          {w}
        </p>
      ))}
      {report.rejected > 0 && (
        <>
          <div className="import-rejects-head">
            <h3>Rejected rows</h3>
            <Button data-testid="import-save-rejected" busy={saving} onClick={() => void save()} disabled={report.id === null}>
              Save rejected rows…
            </Button>
          </div>
          <div className="import-rejects-scroll">
            <table className="import-rejects" data-testid="import-rejects">
              <thead>
                <tr>
                  <th scope="col">Line</th>
                  <th scope="col">Column</th>
                  <th scope="col">Reason</th>
                </tr>
              </thead>
              <tbody>
                {listed.map((r) => (
                  <tr key={`${r.line}:${r.column ?? ''}`} data-testid="import-reject" data-line={r.line}>
                    <td className="num">{r.line}</td>
                    <td>{r.column ?? '—'}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {report.rejected > listed.length && (
            <p className="import-summary-detail">
              {formatNumber(report.rejected - listed.length)} more: save the rejected rows to see them all.
            </p>
          )}
        </>
      )}
      {saved !== null && (
        <p className="import-saved" role="status">
          {saved}
        </p>
      )}
      {error !== null && (
        <p className="import-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
