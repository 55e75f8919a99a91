// Owns the preview: the exact recipient and left-out counts, stepping through recipients or finding
// one by email, the rendered subject, preheader, HTML (in a sandboxed frame: no scripts, no same
// origin) at desktop and mobile widths, the text part, and the warnings.
import { useState } from 'react';
import { Button } from '../components';
import type { Counts, Preview } from './api';
import { leftOutText } from './campaignForm';

export interface PreviewPaneProps {
  preview: Preview | null;
  counts: Counts | null;
  error: string | null;
  searchError: string | null;
  loading: boolean;
  onStep: (direction: 'before' | 'after') => void;
  onSearch: (email: string) => void;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function PreviewPane({ preview, counts: latestCounts, error, searchError, loading, onStep, onSearch }: PreviewPaneProps) {
  const [width, setWidth] = useState<'desktop' | 'mobile'>('desktop');
  const [search, setSearch] = useState('');
  const [part, setPart] = useState<'html' | 'text'>('html');
  const fan = preview?.fan ?? null;
  const count = preview?.counts.recipients ?? 0;
  const counts = error !== null ? latestCounts : (preview?.counts ?? latestCounts);

  return (
    <section className="cmp-preview" aria-label="Preview" data-testid="campaign-preview" aria-busy={loading || undefined}>
      {counts !== null && (
        <div className="cmp-counts">
          <span data-testid="recipient-count" data-count={counts.recipients}>
            <strong>{fmt(counts.recipients)}</strong> {counts.recipients === 1 ? 'recipient' : 'recipients'}
          </span>
          <span className="cmp-muted" data-testid="left-out-count" data-count={counts.suppressed}>
            {leftOutText(counts)}
          </span>
        </div>
      )}
      {error !== null && (
        <p className="cmp-error" role="alert" data-testid="preview-error">
          {error}
        </p>
      )}
      {preview !== null && error === null && (
        <>
          <div className="cmp-stepper">
            <Button variant="ghost" data-testid="preview-prev" aria-label="Previous recipient" disabled={fan === null || fan.position === 0} onClick={() => onStep('before')}>
              ‹
            </Button>
            <span className="cmp-as" data-testid="preview-as" data-email={fan?.email ?? ''}>
              {fan === null ? 'A sample fan (no recipient yet)' : `${fan.email}${fan.name !== '' ? ` (${fan.name})` : ''} · ${fmt(fan.position + 1)} of ${fmt(count)}`}
            </span>
            <Button variant="ghost" data-testid="preview-next" aria-label="Next recipient" disabled={fan === null || fan.position + 1 >= count} onClick={() => onStep('after')}>
              ›
            </Button>
            <form
              className="cmp-search"
              onSubmit={(e) => {
                e.preventDefault();
                if (search.trim() !== '') onSearch(search.trim());
              }}
            >
              <input
                type="search"
                data-testid="preview-search"
                aria-label="Preview as the fan with this email"
                placeholder="Preview as email…"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <Button type="submit" data-testid="preview-search-go">
                Show
              </Button>
            </form>
          </div>
          {searchError !== null && (
            <p className="cmp-error" role="alert" data-testid="preview-search-error">
              {searchError}
            </p>
          )}
          <dl className="cmp-envelope">
            <dt>Subject</dt>
            <dd data-testid="preview-subject">{preview.subject}</dd>
            <dt>Preheader</dt>
            <dd data-testid="preview-preheader">{preview.preheader}</dd>
          </dl>
          <div className="cmp-tabs" role="group" aria-label="Part and width">
            <Button variant={part === 'html' && width === 'desktop' ? 'primary' : 'secondary'} data-testid="preview-desktop" aria-pressed={part === 'html' && width === 'desktop'} onClick={() => { setPart('html'); setWidth('desktop'); }}>
              Desktop
            </Button>
            <Button variant={part === 'html' && width === 'mobile' ? 'primary' : 'secondary'} data-testid="preview-mobile" aria-pressed={part === 'html' && width === 'mobile'} onClick={() => { setPart('html'); setWidth('mobile'); }}>
              Mobile
            </Button>
            <Button variant={part === 'text' ? 'primary' : 'secondary'} data-testid="preview-text-tab" aria-pressed={part === 'text'} onClick={() => setPart('text')}>
              Text part
            </Button>
          </div>
          {part === 'html' ? (
            <div className={`cmp-frame-wrap cmp-frame-${width}`}>
              <iframe
                className="cmp-frame"
                data-testid="preview-frame"
                data-width={width}
                title="The email as this fan gets it"
                sandbox=""
                srcDoc={preview.html}
                referrerPolicy="no-referrer"
              />
            </div>
          ) : (
            <pre className="cmp-text" data-testid="preview-text">
              {preview.text}
            </pre>
          )}
          <div className="cmp-warnings" data-testid="preview-warnings" data-count={preview.warnings.length}>
            <h3>Warnings</h3>
            {preview.warnings.length === 0 ? (
              <p className="cmp-muted">Nothing to fix.</p>
            ) : (
              <ul>
                {preview.warnings.map((w) => (
                  <li key={`${w.code}:${w.message}`} data-testid="preview-warning" data-code={w.code} data-blocking={w.blocking} className={w.blocking ? 'cmp-blocking' : undefined}>
                    {w.blocking && <strong>Blocks sending: </strong>}
                    {w.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </section>
  );
}
