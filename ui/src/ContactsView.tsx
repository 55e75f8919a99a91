// Owns the contacts view of one store: search, filters, sort, columns, selection, the tag sidebar, bulk tagging and the drawer, around the virtualized table.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  contactsCount,
  tagsAdd,
  tagsDelete,
  tagsList,
  tagsMerge,
  tagsRemove,
  tagsRename,
  tagsUndoDelete,
  toApiError,
  type ApiError,
  type ContactRow,
  type ContactsQuery,
  type SortField,
  type TagCount,
} from './api';
import { BulkTagDialog, type BulkAction, type BulkScope } from './BulkTagDialog';
import { ColumnMenu, readColumnVisibility, writeColumnVisibility } from './ColumnMenu';
import { Button, Toast } from './components';
import { ContactDrawer } from './ContactDrawer';
import {
  DEFAULT_SORT,
  EMPTY_FILTERS,
  filterChips,
  isUnfiltered,
  nextSort,
  toContactFilter,
  toggleValue,
  type FilterState,
} from './contactQuery';
import { ContactsTable } from './ContactsTable';
import { FilterChips, FilterPanel } from './FilterPanel';
import { formatNumber } from './format';
import { clickRow, fanIds, NO_SELECTION, toggleRow, type ClickModifiers } from './selection';
import { TagSidebar } from './TagSidebar';
import { useContactsWindow } from './useContactsWindow';
import { useDebounced } from './useDebounced';
import './contacts.css';

export const SEARCH_DEBOUNCE_MS = 180;

export interface ContactsViewProps {
  storeId: string;
  onError: (err: ApiError) => void;
  /** Contacts were edited: the store's header figures may have changed. */
  onDataChanged?: () => void;
  /** A saved segment the table is restricted to (shown as a removable chip). */
  segment?: string | null;
  onClearSegment?: () => void;
  /** Changes when the data changed elsewhere (a sync): rows, counts, tags and the open drawer are
   * read again; search, filters, sort and selection stay. */
  dataVersion?: number;
}

interface Notice {
  text: string;
  undo?: () => void;
}

function plural(n: number, one: string, many: string): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

export function ContactsView({
  storeId,
  onError,
  onDataChanged,
  segment = null,
  onClearSegment,
  dataVersion = 0,
}: ContactsViewProps) {
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText, SEARCH_DEBOUNCE_MS);
  const [filters, setFilters] = useState<FilterState>(EMPTY_FILTERS);
  const [sort, setSort] = useState(DEFAULT_SORT);
  const [showFilters, setShowFilters] = useState(false);
  const [columns, setColumns] = useState(readColumnVisibility);
  const [selection, setSelection] = useState(NO_SELECTION);
  const [openRow, setOpenRow] = useState<ContactRow | null>(null);
  const [tags, setTags] = useState<TagCount[] | null>(null);
  const [bulkOpen, setBulkOpen] = useState(false);
  const [matchingFans, setMatchingFans] = useState<number | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  /** Bumped after every edit: counts, tags and rows are read again. */
  const [dataGen, setDataGen] = useState(0);
  const [winGen, setWinGen] = useState(0);
  const lastRebuild = useRef(0);

  const report = useCallback((err: unknown) => onError(toApiError(err)), [onError]);
  const filter = useMemo(() => {
    const f = toContactFilter(filters, search);
    return segment === null ? f : { ...f, segment };
  }, [filters, search, segment]);
  const query: ContactsQuery = useMemo(() => ({ sort, filter }), [sort, filter]);
  const filterKey = JSON.stringify(filter);
  const queryKey = JSON.stringify(query);

  // ----- exact count of the current search + filter --------------------
  const countKey = `${storeId}\u0000${filterKey}\u0000${dataGen}\u0000${dataVersion}`;
  const [counted, setCounted] = useState<{ key: string; count: number } | null>(null);
  useEffect(() => {
    let cancelled = false;
    contactsCount(storeId, JSON.parse(filterKey)).then(
      (count) => !cancelled && setCounted({ key: countKey, count }),
      (err) => !cancelled && report(err),
    );
    return () => {
      cancelled = true;
    };
  }, [storeId, filterKey, countKey, report]);
  const count = counted?.key === countKey ? counted.count : null;
  const shownCount = count ?? counted?.count ?? null;

  // ----- tags ------------------------------------------------------------
  useEffect(() => {
    let cancelled = false;
    tagsList(storeId).then((t) => !cancelled && setTags(t), (err) => !cancelled && report(err));
    return () => {
      cancelled = true;
    };
  }, [storeId, dataGen, dataVersion, report]);

  // ----- rows -------------------------------------------------------------
  const onMismatch = useCallback(() => {
    const now = Date.now();
    if (now - lastRebuild.current > 5_000) {
      lastRebuild.current = now;
      setDataGen((g) => g + 1);
    } else {
      setWinGen((g) => g + 1);
    }
  }, []);
  const { win, version } = useContactsWindow(storeId, count, winGen, { onError, onMismatch }, query);

  // A new query means new row positions: the old selection no longer maps to them.
  useEffect(() => setSelection(NO_SELECTION), [queryKey, storeId]);

  const changed = useCallback(() => {
    setDataGen((g) => g + 1);
    onDataChanged?.();
  }, [onDataChanged]);

  // ----- table events ------------------------------------------------------
  const onSort = useCallback((field: SortField) => setSort((s) => nextSort(s, field)), []);
  const idAt = useCallback((i: number) => win?.getRow(i)?.id, [win]);
  const onRowClick = useCallback(
    (index: number, mods: ClickModifiers) => setSelection((s) => clickRow(s, index, idAt, mods)),
    [idAt],
  );
  const onOpen = useCallback(
    (index: number) => {
      const row = win?.getRow(index);
      if (row !== undefined) setOpenRow(row);
    },
    [win],
  );
  const onToggle = useCallback(
    (index: number) => {
      const id = idAt(index);
      if (id !== undefined) setSelection((s) => toggleRow(s, index, id));
    },
    [idAt],
  );

  // ----- tags: sidebar actions ----------------------------------------------
  const renameInFilter = (from: string, to: string | null) =>
    setFilters((f) => {
      const rest = f.tag.filter((t) => t.toLowerCase() !== from.toLowerCase());
      return rest.length === f.tag.length ? f : { ...f, tag: to === null ? rest : [...rest, to] };
    });

  const onRename = async (from: string, to: string) => {
    const done = await tagsRename(storeId, from, to);
    renameInFilter(done.from, done.to);
    setNotice({ text: `Renamed “${done.from}” to “${done.to}” on ${plural(done.contacts, 'fan', 'fans')}.` });
    changed();
  };
  const onMerge = async (from: string, into: string) => {
    const done = await tagsMerge(storeId, from, into);
    renameInFilter(done.from, done.to);
    setNotice({ text: `Merged “${done.from}” into “${done.to}” (${plural(done.contacts, 'fan', 'fans')}).` });
    changed();
  };
  const onDelete = async (tag: string) => {
    const done = await tagsDelete(storeId, tag);
    renameInFilter(done.tag, null);
    setNotice({
      text: `Deleted “${done.tag}” from ${plural(done.contacts, 'fan', 'fans')}.`,
      undo: () => {
        setNotice(null);
        tagsUndoDelete(storeId, done.deletion_id).then((back) => {
          setNotice({ text: `“${back.tag}” is back on ${plural(back.changed, 'fan', 'fans')}.` });
          changed();
        }, report);
      },
    });
    changed();
  };

  // ----- bulk tagging ----------------------------------------------------------
  const selectedFans = fanIds(selection);
  const openBulk = () => {
    setBulkOpen(true);
    setMatchingFans(null);
    // Only fans can carry tags: count the matching fans without users lacking a fan record.
    contactsCount(storeId, { ...filter, include_users: undefined }).then(setMatchingFans, report);
  };
  const onBulk = async (action: BulkAction, scope: BulkScope, tag: string) => {
    const matching = { ...filter };
    delete matching.include_users;
    const target = scope === 'selected' ? { ids: selectedFans } : { matching };
    const done = action === 'add' ? await tagsAdd(storeId, tag, target) : await tagsRemove(storeId, tag, target);
    setBulkOpen(false);
    setNotice({
      text:
        action === 'add'
          ? `Added “${done.tag}” to ${plural(done.changed, 'fan', 'fans')}.`
          : `Removed “${done.tag}” from ${plural(done.changed, 'fan', 'fans')}.`,
    });
    changed();
  };

  const closeNotice = useCallback(() => setNotice(null), []);
  const chips = filterChips(filters).length;
  const searching = searchText !== search || count === null;
  const unfiltered = isUnfiltered(filter);

  return (
    <div className={openRow === null ? 'contacts-view' : 'contacts-view has-drawer'}>
      <TagSidebar
        tags={tags}
        active={filters.tag}
        onToggle={(t) => setFilters((f) => toggleValue(f, 'tag', t))}
        onRename={onRename}
        onMerge={onMerge}
        onDelete={onDelete}
      />
      <section className="contacts-main">
        <div className="toolbar">
          <input
            type="search"
            className="input search-box"
            data-testid="search"
            placeholder="Search email, name or tag"
            aria-label="Search fans"
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setSearchText('')}
          />
          <button
            type="button"
            className="btn btn-secondary"
            aria-expanded={showFilters}
            data-testid="filters-button"
            onClick={() => setShowFilters(!showFilters)}
          >
            Filters{chips > 0 ? ` · ${chips}` : ''}
          </button>
          <ColumnMenu
            visibility={columns}
            onChange={(v) => {
              setColumns(v);
              writeColumnVisibility(v);
            }}
          />
          <label className="check" title="Also list registered platform users who are not fans of this store">
            <input
              type="checkbox"
              data-testid="include-users"
              checked={filters.includeUsers}
              onChange={(e) => setFilters((f) => ({ ...f, includeUsers: e.target.checked }))}
            />
            Include users without a fan record
          </label>
          <span className="spacer" />
          <span
            className="match-count"
            data-testid="match-count"
            data-count={count ?? undefined}
            aria-live="polite"
            aria-busy={searching}
          >
            {shownCount === null
              ? 'Counting…'
              : unfiltered
                ? plural(shownCount, 'row', 'rows')
                : `${plural(shownCount, 'match', 'matches')}`}
            {searching && shownCount !== null && <span className="spinner spinner-small" aria-hidden="true" />}
          </span>
          <Button data-testid="bulk-tag" onClick={openBulk}>
            Tag…
          </Button>
        </div>
        {showFilters && <FilterPanel filters={filters} onChange={setFilters} tags={tags ?? []} />}
        {segment !== null && (
          <div className="filter-chips">
            <span className="filter-chip" data-testid="segment-chip" data-segment={segment}>
              <span className="chip-text">Segment: {segment}</span>
              <button type="button" aria-label={`Remove segment filter ${segment}`} onClick={onClearSegment}>
                ×
              </button>
            </span>
          </div>
        )}
        <FilterChips filters={filters} onChange={setFilters} />
        {selection.ids.size > 0 && (
          <div className="selection-bar" data-testid="selection-bar" data-count={selection.ids.size}>
            <span>{plural(selection.ids.size, 'row', 'rows')} selected</span>
            <Button variant="ghost" onClick={openBulk}>
              Add or remove a tag…
            </Button>
            <Button variant="ghost" onClick={() => setSelection(NO_SELECTION)}>
              Clear selection
            </Button>
          </div>
        )}
        {shownCount === 0 && count === 0 ? (
          <div className="no-matches" data-testid="no-matches">
            <p>No fans match {search.trim() !== '' ? `“${search.trim()}”` : 'these filters'}.</p>
          </div>
        ) : (
          <ContactsTable
            key={`${storeId}:${queryKey}`}
            count={shownCount ?? 0}
            win={win}
            version={version}
            sort={sort}
            onSort={onSort}
            columnVisibility={columns}
            selected={selection.ids}
            onRowClick={onRowClick}
            onOpen={onOpen}
            onToggle={onToggle}
          />
        )}
      </section>
      {openRow !== null && (
        <ContactDrawer
          key={openRow.id}
          storeId={storeId}
          row={openRow}
          reloadKey={dataVersion}
          onClose={() => setOpenRow(null)}
          onChanged={changed}
          onError={onError}
        />
      )}
      {bulkOpen && (
        <BulkTagDialog
          selectedCount={selectedFans.length}
          matchingCount={matchingFans}
          tags={tags ?? []}
          onCancel={() => setBulkOpen(false)}
          onConfirm={onBulk}
        />
      )}
      {notice !== null && (
        <Toast key={notice.text} actionLabel={notice.undo ? 'Undo' : undefined} onAction={notice.undo} onClose={closeNotice}>
          {notice.text}
        </Toast>
      )}
    </div>
  );
}
