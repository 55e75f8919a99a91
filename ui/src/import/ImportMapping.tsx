// Owns the preview table: the file's first rows under their headers, each header with its editable mapping.
import type { ImportPreview } from '../api';
import { targetLabel } from './importFlow';

/** Rows of the preview shown in the dialog (the preview holds up to 20). */
export const SHOWN_SAMPLE_ROWS = 8;

export interface ImportMappingProps {
  preview: ImportPreview;
  targets: string[];
  /** The target shown for each column: the hand-made choice, else the detected one. */
  targetOf: (header: string, detected: string) => string;
  onChange: (header: string, target: string) => void;
  disabled: boolean;
}

export function ImportMapping({ preview, targets, targetOf, onChange, disabled }: ImportMappingProps) {
  const rows = preview.sample_rows.slice(0, SHOWN_SAMPLE_ROWS);
  return (
    <>
    <div className="import-mapping" data-testid="import-mapping">
      <table className="import-sample">
        <thead>
          <tr>
            <th className="import-line">Line</th>
            {preview.mapping.map((col, i) => {
              const value = targetOf(col.header, col.target);
              const options = targets.includes(value) ? targets : [value, ...targets];
              return (
                <th key={i} scope="col">
                  <div className="import-header" title={col.header}>
                    {col.header.trim() === '' ? `Column ${i + 1}` : col.header}
                  </div>
                  <select
                    className="select import-target"
                    aria-label={`Import column ${col.header} as`}
                    data-testid="import-map"
                    data-header={col.header}
                    value={value}
                    disabled={disabled}
                    onChange={(e) => onChange(col.header, e.target.value)}
                  >
                    {options.map((t) => (
                      <option key={t} value={t}>
                        {targetLabel(t)}
                      </option>
                    ))}
                  </select>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.line} className={row.rejected === null ? undefined : 'is-rejected'} data-line={row.line}>
              <td className="import-line num" title={row.rejected ?? undefined}>
                {row.line}
                {row.rejected !== null && <span className="import-reject-mark" aria-label={`rejected: ${row.rejected}`}>!</span>}
              </td>
              {preview.mapping.map((_, i) => (
                <td key={i}>
                  <span className="import-cell">{row.cells[i] ?? ''}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
      {rows.some((r) => r.rejected !== null) && (
        <ul className="import-sample-rejects">
          {rows
            .filter((r) => r.rejected !== null)
            .map((r) => (
              <li key={r.line}>
                Line {r.line}: {r.rejected}
              </li>
            ))}
        </ul>
      )}
    </>
  );
}
