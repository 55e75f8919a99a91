// Owns the ways into an import — the "Import CSV" button (native file dialog), a file dropped anywhere
// on the window, and the test-only path field (FANBASE_E2E=1) — and the one dialog they all open.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { importE2eEnabled, toApiError, type ApiError, type ImportReport } from '../api';
import { Button } from '../components';
import { ImportDialog } from './ImportDialog';
import { fileNameOf, IMPORT_EXTENSIONS } from './importFlow';
import { pickImportFile } from './native';
import { useFileDrop, type DropOutcome } from './useFileDrop';

export interface ImportLauncherProps {
  /** The store the import goes to; null when there is none yet. */
  storeId: string | null;
  storeName: string;
  /** Makes sure a store exists (creating one if needed) and returns its id. */
  ensureStore: () => Promise<string>;
  onImported: (report: ImportReport) => void;
  onError: (error: ApiError) => void;
}

interface Opened {
  path: string;
  storeId: string;
  /** A new dialog for each opening, even of the same file. */
  nonce: number;
}

export function ImportLauncher({ storeId, storeName, ensureStore, onImported, onError }: ImportLauncherProps) {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [busy, setBusy] = useState(false);
  const [e2e, setE2e] = useState(false);
  const [typedPath, setTypedPath] = useState('');

  useEffect(() => {
    importE2eEnabled().then(setE2e, () => setE2e(false));
  }, []);

  /** The single entry point: every way of choosing a file ends here. */
  const openPath = useCallback(
    async (path: string) => {
      try {
        const target = storeId ?? (await ensureStore());
        setOpened((o) => ({ path, storeId: target, nonce: (o?.nonce ?? 0) + 1 }));
      } catch (err) {
        onError(toApiError(err));
      }
    },
    [storeId, ensureStore, onError],
  );

  const chooseFile = async () => {
    setBusy(true);
    try {
      const path = await pickImportFile();
      if (path !== null) await openPath(path);
    } catch (err) {
      onError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const onDrop = useCallback(
    (o: DropOutcome) => {
      if (o.kind === 'file') void openPath(o.path);
      else if (o.kind === 'unsupported') {
        onError({
          code: 'unsupported_file',
          message: `${fileNameOf(o.names[0])} is not a CSV file: drop a .${IMPORT_EXTENSIONS.join(', .')} export.`,
        });
      }
    },
    [openPath, onError],
  );
  // No drop while an import dialog is open: it would replace the file under the user's eyes.
  const hover = useFileDrop(opened === null, onDrop);

  const submitPath = (e: FormEvent) => {
    e.preventDefault();
    const path = typedPath.trim();
    if (path !== '') void openPath(path);
  };

  return (
    <>
      {e2e && (
        <form className="import-path-form" onSubmit={submitPath}>
          <input
            className="input"
            data-testid="import-path"
            aria-label="Path of a CSV file to import (test mode)"
            placeholder="/path/to/export.csv"
            value={typedPath}
            onChange={(e) => setTypedPath(e.target.value)}
          />
          <Button type="submit" data-testid="import-path-open">
            Open
          </Button>
        </form>
      )}
      <Button data-testid="import-button" busy={busy} onClick={() => void chooseFile()} title="Import fans from a CSV export (or drop the file on the window)">
        Import CSV
      </Button>
      {hover !== null && (
        <div className="drop-overlay" data-testid="drop-overlay" data-importable={hover.importable}>
          <div className="drop-target">
            {hover.importable ? `Drop to import into ${storeName}` : 'Only CSV files can be imported'}
          </div>
        </div>
      )}
      {opened !== null && (
        <ImportDialog
          key={opened.nonce}
          path={opened.path}
          storeId={opened.storeId}
          storeName={storeName}
          onClose={() => setOpened(null)}
          onImported={onImported}
        />
      )}
    </>
  );
}
