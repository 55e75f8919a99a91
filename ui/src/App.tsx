// Owns the app shell: store selection, the selected store's count, errors, and choosing between the table and the empty state.
import { useCallback, useEffect, useRef, useState } from 'react';
import { contactsCount, demoLoad, storesList, toApiError, type ApiError, type Store } from './api';
import { Button, EmptyState, ErrorBanner } from './components';
import { ContactsTable } from './ContactsTable';
import { formatNumber } from './format';
import { pickStore, readLastStore, writeLastStore } from './lastStore';
import { TopBar } from './TopBar';
import { useContactsWindow } from './useContactsWindow';

export const SAMPLE_ROWS = 20_000;
export const DEFAULT_STORE_ID = 'demo';

/** Error codes the UI branches on (messages are only ever displayed). */
const CODE_NOT_FOUND = 'STORE_NOT_FOUND';

export function App() {
  const [error, setError] = useState<ApiError | null>(null);
  const [stores, setStores] = useState<Store[] | null>(null);
  const [wantedId, setWantedId] = useState<string | null>(() => readLastStore());
  const [counted, setCounted] = useState<{ storeId: string; count: number } | null>(null);
  const [countReload, setCountReload] = useState(0);
  const [generation, setGeneration] = useState(0);
  const [sampleBusy, setSampleBusy] = useState(false);
  const lastMismatch = useRef(0);

  const report = useCallback((err: unknown) => setError(toApiError(err)), []);

  const refreshStores = useCallback(async () => {
    try {
      setStores(await storesList());
    } catch (err) {
      report(err);
      setStores((s) => s ?? []);
    }
  }, [report]);

  useEffect(() => {
    void refreshStores();
  }, [refreshStores]);

  const selected = stores === null ? null : pickStore(stores, wantedId);
  const selectedId = selected?.id ?? null;

  useEffect(() => {
    if (selectedId === null) return;
    let cancelled = false;
    contactsCount(selectedId).then(
      (count) => {
        if (!cancelled) setCounted({ storeId: selectedId, count });
      },
      (err) => {
        if (cancelled) return;
        const e = toApiError(err);
        setError(e);
        if (e.code === CODE_NOT_FOUND) {
          // The remembered store is gone: forget it and show what exists.
          writeLastStore(null);
          setWantedId(null);
          void refreshStores();
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [selectedId, countReload, refreshStores]);

  const count: number | null =
    stores === null ? null : selectedId === null ? 0 : counted?.storeId === selectedId ? counted.count : null;

  const onMismatch = useCallback(() => {
    // The list changed while we were paging: count again; if the count is the same, rebuild the window once.
    const now = Date.now();
    const storeId = selectedId;
    if (storeId === null) return;
    contactsCount(storeId).then((fresh) => {
      if (fresh !== counted?.count) {
        setCounted({ storeId, count: fresh });
      } else if (now - lastMismatch.current > 5_000) {
        lastMismatch.current = now;
        setGeneration((g) => g + 1);
      } else {
        setError({ code: 'inconsistent_page', message: 'The fan list changed while it was loading. Switch stores to reload it.' });
      }
    }, report);
  }, [selectedId, counted, report]);

  const { win, version } = useContactsWindow(selectedId, count, generation, { onError: setError, onMismatch });

  const selectStore = (id: string) => {
    setWantedId(id);
    writeLastStore(id);
  };

  const loadSample = async () => {
    const target = selectedId ?? DEFAULT_STORE_ID;
    setSampleBusy(true);
    try {
      await demoLoad(target, SAMPLE_ROWS);
      setWantedId(target);
      writeLastStore(target);
      await refreshStores();
      setCountReload((n) => n + 1);
    } catch (err) {
      report(err);
    } finally {
      setSampleBusy(false);
    }
  };

  let content;
  if (stores === null) {
    content = <div className="quiet-state">Loading stores…</div>;
  } else if (selected === null || count === 0) {
    content = (
      <EmptyState
        title={selected === null ? 'Welcome to Fanbase' : 'No fans here yet'}
        action={
          <Button variant="primary" data-testid="load-sample" busy={sampleBusy} onClick={() => void loadSample()}>
            {sampleBusy ? 'Loading sample fans…' : `Load ${formatNumber(SAMPLE_ROWS)} sample fans`}
          </Button>
        }
      >
        <p>
          {selected === null
            ? 'You have no fan list yet. Try Fanbase with made-up fans to see how it works.'
            : `${selected.name === '' ? selected.id : selected.name} has no fans yet. Try it with made-up fans to see how it works.`}
        </p>
      </EmptyState>
    );
  } else if (count === null) {
    content = <div className="quiet-state">Counting fans…</div>;
  } else {
    content = <ContactsTable key={`${selectedId}:${count}:${generation}`} count={count} win={win} version={version} />;
  }

  return (
    <div className="app">
      <TopBar stores={stores} selectedId={selectedId} onSelect={selectStore} count={count} />
      {error !== null && <ErrorBanner message={error.message} onDismiss={() => setError(null)} />}
      <main className="content">{content}</main>
    </div>
  );
}
