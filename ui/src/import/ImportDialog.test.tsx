// Owns the import dialog's tests: preview, editable mapping, options and dry-run summary, the run with
// progress and Cancel, the report with rejected rows and saving them, and unusable files.
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ImportOptions, ImportPreview, ImportProgress, ImportReport } from '../api';

interface RunCall {
  job: number;
  storeId: string;
  path: string;
  options: ImportOptions;
  onProgress: (p: ImportProgress) => void;
  resolve: (r: ImportReport) => void;
  reject: (e: unknown) => void;
}

const calls = {
  inspect: [] as { path: string; map: unknown[] }[],
  runs: [] as RunCall[],
  cancels: [] as number[],
  saves: [] as { id: number; path: string }[],
};
let inspectResult: (map: { header: string; target: string }[]) => Promise<ImportPreview>;

vi.mock('../api', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api')>();
  return {
    ...real,
    importTargets: async () => ['email', 'first_name', 'last_name', 'tags', 'custom', 'ignore'],
    importInspect: async (path: string, map: { header: string; target: string }[]) => {
      calls.inspect.push({ path, map });
      return inspectResult(map);
    },
    importRun: (job: number, storeId: string, path: string, options: ImportOptions, onProgress: (p: ImportProgress) => void) =>
      new Promise<ImportReport>((resolve, reject) => calls.runs.push({ job, storeId, path, options, onProgress, resolve, reject })),
    importHeaders: async () => ['Email', 'First Name', 'Notes'],
    importCancel: async (job: number) => {
      calls.cancels.push(job);
      return true;
    },
    importSaveRejected: async (id: number, path: string) => {
      calls.saves.push({ id, path });
      return 1;
    },
  };
});
vi.mock('./native', () => ({
  pickRejectedPath: async (name: string) => `/tmp/${name}`,
  pickImportFile: async () => null,
  listenFileDrop: async () => () => undefined,
}));

const { ImportDialog } = await import('./ImportDialog');

function preview(map: { header: string; target: string }[] = []): ImportPreview {
  const chosen = Object.fromEntries(map.map((m) => [m.header, m.target]));
  const headers = ['Email', 'First Name', 'Notes'];
  return {
    file_name: 'export.csv',
    size_bytes: 2048,
    format: 'activecampaign',
    encoding: 'utf-8-bom',
    delimiter: ';',
    headers,
    mapping: headers.map((h, i) => ({ header: h, target: chosen[h] ?? ['email', 'first_name', 'custom'][i] })),
    sample_rows: [
      { line: 2, cells: ['ana@example.com', '<img src=x onerror=alert(1)>', 'hi'], rejected: null },
      { line: 3, cells: ['nope', 'Ben', ''], rejected: 'Email: invalid email "nope": no @' },
    ],
  };
}

function report(r: Partial<ImportReport>): ImportReport {
  return {
    id: null,
    store_id: 's1',
    file_name: 'export.csv',
    dry_run: true,
    format: 'activecampaign',
    encoding: 'utf-8-bom',
    delimiter: ';',
    rows_read: 47_356,
    inserted: 40_112,
    updated: 7_232,
    unchanged: 0,
    duplicates_in_file: 0,
    rejected: 12,
    errors: [],
    warnings: [],
    started_at: 0,
    elapsed_ms: 900,
    ...r,
  };
}

const lastRun = () => calls.runs[calls.runs.length - 1];

async function openDialog(onImported = vi.fn(), onClose = vi.fn()) {
  render(<ImportDialog path="/home/me/export.csv" storeId="s1" storeName="Main" onClose={onClose} onImported={onImported} />);
  await screen.findByText('ActiveCampaign');
  await waitFor(() => expect(calls.runs.length).toBe(1), { timeout: 2000 });
  return { onImported, onClose };
}

beforeEach(() => {
  calls.inspect = [];
  calls.runs = [];
  calls.cancels = [];
  calls.saves = [];
  inspectResult = async (map) => preview(map);
});
afterEach(cleanup);

describe('ImportDialog', () => {
  it('shows the format, encoding and first rows, then the dry-run summary, before anything is written', async () => {
    await openDialog();
    expect(screen.getByText('UTF-8 with BOM')).toBeTruthy();
    expect(screen.getByText('semicolon')).toBeTruthy();
    // Imported text is text, never markup.
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText(/Line 3: Email: invalid email/)).toBeTruthy();
    expect((screen.getByTestId('import-start') as HTMLButtonElement).disabled).toBe(true);

    const run = lastRun();
    expect(run.options).toEqual({ dry_run: true, on_existing: 'fill-empty', map: [], tags: [] });
    act(() => run.onProgress({ ...report({}), phase: 'reading', bytes_read: 512, total_bytes: 2048, rows_read: 10_000, elapsed_ms: 100 }));
    expect(screen.getByTestId('import-summary').textContent).toContain('10,000 rows · 25% · 100,000 rows/s');

    act(() => run.resolve(report({})));
    const summary = await screen.findByText('will add 40,112 · update 7,232 · reject 12');
    const box = summary.closest('[data-testid=import-summary]') as HTMLElement;
    expect(box.dataset.inserted).toBe('40112');
    expect(box.dataset.updated).toBe('7232');
    expect(box.dataset.rejected).toBe('12');
    expect((screen.getByTestId('import-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('re-inspects and re-runs the dry run after a mapping or an option changes', async () => {
    await openDialog();
    act(() => lastRun().resolve(report({})));
    const notes = screen.getAllByTestId('import-map').find((s) => s.dataset.header === 'Notes') as HTMLSelectElement;
    expect(notes.value).toBe('custom');
    fireEvent.change(notes, { target: { value: 'ignore' } });
    await waitFor(() => expect(calls.inspect[calls.inspect.length - 1]?.map).toEqual([{ header: 'Notes', target: 'ignore' }]));
    await waitFor(() => expect(calls.runs.length).toBe(2), { timeout: 2000 });
    expect(lastRun().options.map).toEqual([{ header: 'Notes', target: 'ignore' }]);
    expect(calls.cancels).toContain(calls.runs[0].job);

    fireEvent.change(screen.getByTestId('import-on-existing'), { target: { value: 'overwrite' } });
    fireEvent.change(screen.getByTestId('import-tags'), { target: { value: 'from-ac, Spring ,FROM-AC' } });
    await waitFor(() => expect(lastRun().options.tags).toEqual(['from-ac', 'Spring']), { timeout: 2000 });
    expect(lastRun().options.on_existing).toBe('overwrite');
    expect(lastRun().options.dry_run).toBe(true);
  });

  it('shows a mapping the file refuses, keeps the preview, and can reset it', async () => {
    await openDialog();
    inspectResult = async (map) => {
      if (map.length > 0) throw { code: 'NO_EMAIL_COLUMN', message: 'the header has no email column' };
      return preview(map);
    };
    const email = screen.getAllByTestId('import-map').find((s) => s.dataset.header === 'Email') as HTMLSelectElement;
    fireEvent.change(email, { target: { value: 'ignore' } });
    expect((await screen.findByTestId('import-mapping-error')).textContent).toContain('no email column');
    expect((screen.getByTestId('import-start') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByText('Reset the mapping'));
    await waitFor(() => expect(screen.queryByTestId('import-mapping-error')).toBeNull());
  });

  it('asks which column holds the email when none is recognised, then previews with it', async () => {
    inspectResult = async (map) => {
      if (!map.some((m) => m.target === 'email')) throw { code: 'NO_EMAIL_COLUMN', message: 'the header has no email column' };
      return preview(map);
    };
    render(<ImportDialog path="/home/me/export.csv" storeId="s1" storeName="Main" onClose={vi.fn()} onImported={vi.fn()} />);
    const pick = (await screen.findByTestId('import-email-column')) as HTMLSelectElement;
    expect(screen.queryByTestId('import-error')).toBeNull();
    expect(Array.from(pick.options).map((o) => o.textContent)).toEqual(['Choose a column…', 'Email', 'First Name', 'Notes']);
    fireEvent.change(pick, { target: { value: 'Notes' } });
    await screen.findByText('ActiveCampaign');
    expect(calls.inspect[calls.inspect.length - 1].map).toEqual([{ header: 'Notes', target: 'email' }]);
    await waitFor(() => expect(calls.runs.length).toBe(1), { timeout: 2000 });
    expect(lastRun().options.map).toEqual([{ header: 'Notes', target: 'email' }]);
  });

  it('imports with progress, then shows the report with rejected rows and saves them', async () => {
    const { onImported } = await openDialog();
    act(() => lastRun().resolve(report({})));
    fireEvent.click(await screen.findByText('Import 47,356 rows'));
    const run = lastRun();
    expect(run.options.dry_run).toBe(false);
    expect(screen.getByTestId('import-cancel')).toBeTruthy();
    act(() =>
      run.onProgress({ ...report({}), phase: 'finishing', bytes_read: 2048, total_bytes: 2048, rows_read: 47_356, elapsed_ms: 400 }),
    );
    expect(screen.getByTestId('import-progress').dataset.percent).toBe('100');

    const done = report({
      id: 9,
      dry_run: false,
      errors: [{ line: 3, column: 'Email', reason: 'invalid email "nope": no @' }],
      rejected: 1,
      warnings: ['lines 7 were not valid UTF-8 and were read as Windows-1252'],
    });
    act(() => run.resolve(done));
    const rows = await screen.findAllByTestId('import-reject');
    expect(rows).toHaveLength(1);
    expect(within(rows[0]).getByText('Email')).toBeTruthy();
    expect(screen.getByText(/read as Windows-1252/)).toBeTruthy();
    expect(onImported).toHaveBeenCalledWith(done);

    fireEvent.click(screen.getByTestId('import-save-rejected'));
    expect((await screen.findByRole('status')).textContent).toContain('/tmp/export-rejected.csv');
    expect(calls.saves).toEqual([{ id: 9, path: '/tmp/export-rejected.csv' }]);
  });

  it('cancels a running import: nothing written, the options are still there', async () => {
    const { onImported } = await openDialog();
    act(() => lastRun().resolve(report({})));
    fireEvent.click(await screen.findByTestId('import-start'));
    const run = lastRun();
    fireEvent.click(screen.getByTestId('import-cancel'));
    expect(calls.cancels).toContain(run.job);
    expect(screen.getByTestId('import-cancel').textContent).toContain('Cancelling');
    act(() => run.reject({ code: 'CANCELLED', message: 'the import was cancelled: nothing was written' }));
    expect((await screen.findByTestId('import-notice')).textContent).toContain('nothing was written');
    expect(onImported).not.toHaveBeenCalled();
    expect(screen.getByTestId('import-on-existing')).toBeTruthy();
  });

  it('explains an unusable file and only offers to close', async () => {
    inspectResult = async () => {
      throw { code: 'NOT_CSV', message: 'this is not a CSV file (a ZIP archive)' };
    };
    const onClose = vi.fn();
    render(<ImportDialog path="/x.csv" storeId="s1" storeName="Main" onClose={onClose} onImported={vi.fn()} />);
    const error = await screen.findByTestId('import-error');
    expect(error.dataset.code).toBe('NOT_CSV');
    expect(calls.runs).toHaveLength(0);
    fireEvent.keyDown(screen.getByTestId('import-dialog'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalled();
  });
});
