// Owns the app shell: store selection, the selected store's count, errors, and choosing between the table and the empty state.
import { useCallback, useEffect, useState } from 'react';
import { contactsConversion, contactsCount, demoLoad, storesList, toApiError, type ApiError, type Conversion, type Store, storesAdd, type ImportReport } from './api';
import { Button, EmptyState, ErrorBanner } from './components';
import { ContactsView } from './ContactsView';
import { formatNumber } from './format';
import { pickStore, readLastStore, writeLastStore } from './lastStore';
import { TopBar } from './TopBar';
import { ImportLauncher } from './import/ImportLauncher';
import { AreaNav, type Area } from './AreaNav';
import { SegmentsArea } from './segments/SegmentsArea';
import { CampaignsArea } from './campaigns/CampaignsArea';
import { AdminArea } from './admin/AdminArea';
import { useAdminAccess } from './admin/useAdminAccess';
import { SyncStatusBar } from './sync/SyncStatusBar';

export const SAMPLE_ROWS = 20_000;
export const DEFAULT_STORE_ID = 'demo';
/** The store an import creates when there is none yet. */
export const IMPORT_STORE = { id: 'fans', name: 'My fans' } as const;

/** Error codes the UI branches on (messages are only ever displayed). */
const CODE_NOT_FOUND = 'STORE_NOT_FOUND';

export function App() {
  const [error, setError] = useState<ApiError | null>(null);
  const [stores, setStores] = useState<Store[] | null>(null);
  const [wantedId, setWantedId] = useState<string | null>(() => readLastStore());
  const [counted, setCounted] = useState<{ storeId: string; count: number } | null>(null);
  const [countReload, setCountReload] = useState(0);
  const [conversion, setConversion] = useState<{ storeId: string; value: Conversion } | null>(null);
  const [sampleBusy, setSampleBusy] = useState(false);
  /** Bumped after each import: the contacts view is built again on the new data. */
  const [importGen, setImportGen] = useState(0);
  /** Bumped when a sync pulled data: the view reloads its rows and counts but keeps its state. */
  const [syncGen, setSyncGen] = useState(0);
  const [area, setArea] = useState<Area>('contacts');
  /** A saved segment opened from the segments area: the contacts table shows only its fans. */
  const [segmentFilter, setSegmentFilter] = useState<string | null>(null);
  /** From the platform's whoami: the Admin area shows only for platform admins. */
  /** Bumped after a sign-in or a sync that pulled data: who is signed in may have changed. */
  const [sessionGen, setSessionGen] = useState(0);
  const access = useAdminAccess(sessionGen);
  const showAdmin = access?.admin === true;
  useEffect(() => {
    if (!showAdmin) setArea((a) => (a === 'admin' ? 'contacts' : a));
  }, [showAdmin]);

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
    contactsConversion(selectedId).then(
      (value) => !cancelled && setConversion({ storeId: selectedId, value }),
      () => {
        // The count's error (above) already explains what went wrong.
      },
    );
    return () => {
      cancelled = true;
    };
  }, [selectedId, countReload, refreshStores]);

  const count: number | null =
    stores === null ? null : selectedId === null ? 0 : counted?.storeId === selectedId ? counted.count : null;

  const onDataChanged = useCallback(() => setCountReload((n) => n + 1), []);

  /** A sync pulled data or a sign-in added the account's stores: reload the stores and the view's
   * data, keeping its search, filters, sort, selection and open drawer (a background sync must not
   * reset what the user is doing). */
  const onSynced = useCallback(() => {
    void refreshStores();
    setCountReload((n) => n + 1);
    setSyncGen((n) => n + 1);
    setSessionGen((n) => n + 1);
  }, [refreshStores]);

  const selectStore = (id: string) => {
    setSegmentFilter(null);
    setWantedId(id);
    writeLastStore(id);
  };

  const ensureImportStore = useCallback(async () => {
    await storesAdd(IMPORT_STORE.id, IMPORT_STORE.name);
    setWantedId(IMPORT_STORE.id);
    writeLastStore(IMPORT_STORE.id);
    await refreshStores();
    return IMPORT_STORE.id;
  }, [refreshStores]);

  const onImported = useCallback(
    (imported: ImportReport) => {
      setWantedId(imported.store_id);
      writeLastStore(imported.store_id);
      void refreshStores();
      setCountReload((n) => n + 1);
      setImportGen((n) => n + 1);
    },
    [refreshStores],
  );

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
  if (area === 'segments') {
    content = (
      <SegmentsArea
        storeId={selectedId}
        onError={setError}
        onOpenSegment={(name) => {
          setSegmentFilter(name);
          setArea('contacts');
        }}
      />
    );
  } else if (area === 'campaigns') {
    content = <CampaignsArea storeId={selectedId} onError={setError} />;
  } else if (area === 'admin' && showAdmin) {
    content = <AdminArea onError={setError} me={access?.user_id ?? null} onDataChanged={onDataChanged} />;
  } else if (stores === null) {
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
        <p>To bring your own list, drop a CSV export (ActiveCampaign, Mailchimp, Kit, …) on this window or use Import CSV.</p>
      </EmptyState>
    );
  } else if (count === null) {
    content = <div className="quiet-state">Counting fans…</div>;
  } else {
    content = (
      <ContactsView
        key={`${selected.id}:${importGen}`}
        storeId={selected.id}
        dataVersion={syncGen}
        onError={setError}
        onDataChanged={onDataChanged}
        segment={segmentFilter}
        onClearSegment={() => setSegmentFilter(null)}
      />
    );
  }

  return (
    <div className="app" data-admin-access={access === null ? 'pending' : showAdmin ? 'admin' : 'none'}>
      <TopBar
        nav={<AreaNav area={area} onChange={setArea} showAdmin={showAdmin} />}
        stores={stores}
        selectedId={selectedId}
        onSelect={selectStore}
        count={count}
        conversion={conversion !== null && conversion.storeId === selectedId ? conversion.value : null}
        actions={
          <ImportLauncher
            storeId={selectedId}
            storeName={selected === null ? IMPORT_STORE.name : selected.name === '' ? selected.id : selected.name}
            ensureStore={ensureImportStore}
            onImported={onImported}
            onError={setError}
          />
        }
      />
      {error !== null && <ErrorBanner message={error.message} onDismiss={() => setError(null)} />}
      <main className="content">{content}</main>
      <SyncStatusBar onError={setError} onDataChanged={onSynced} />
    </div>
  );
}
