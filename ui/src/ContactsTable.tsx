// Owns the virtualized contacts table: sortable column header, visible rows, scrolling, selection clicks, keyboard navigation and feeding the visible range to the window cache.
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table';
import {
  elementScroll,
  observeElementOffset,
  useVirtualizer,
  type Virtualizer,
} from '@tanstack/react-virtual';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { ContactRow, Sort, SortField } from './api';
import { ariaSort } from './contactQuery';
import type { ClickModifiers } from './selection';
import { contactColumns, gridTemplate, type IndexedContact } from './contactColumns';
import { RowSlot, ROW_HEIGHT, rowDomId } from './ContactRowView';
import type { ContactsWindow } from './contactsWindow';
import { makeScrollScale, type ScrollScale } from './scrollScale';

const HEADER_HEIGHT = 36;
/** Rows rendered beyond each edge of the viewport: enough for a wheel step, few enough that a
 * fast scroll renders little more than the screen. */
const OVERSCAN = 5;
/** Rows handed to TanStack Table at once (aligned blocks around the visible range). */
const DATA_BLOCK = 100;

export interface ContactsTableProps {
  count: number;
  win: ContactsWindow<ContactRow> | null;
  /** Changes whenever the window has new rows. */
  version: number;
  /** Current sort; headers of sortable columns are buttons when `onSort` is given. */
  sort?: Sort;
  onSort?: (field: SortField) => void;
  columnVisibility?: Record<string, boolean>;
  /** Ids of the selected contacts. */
  selected?: ReadonlySet<number>;
  onRowClick?: (index: number, mods: ClickModifiers) => void;
  /** Enter or double-click on a row. */
  onOpen?: (index: number) => void;
  /** Space on the highlighted row. */
  onToggle?: (index: number) => void;
}

const NOTHING_SELECTED: ReadonlySet<number> = new Set();

export function ContactsTable({
  count,
  win,
  version,
  sort,
  onSort,
  columnVisibility,
  selected = NOTHING_SELECTED,
  onRowClick,
  onOpen,
  onToggle,
}: ContactsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [viewportHeight, setViewportHeight] = useState(0);
  const [active, setActive] = useState<number | null>(null);

  const scale = useMemo(
    () => makeScrollScale(HEADER_HEIGHT + count * ROW_HEIGHT, viewportHeight),
    [count, viewportHeight],
  );
  const scaleRef = useRef<ScrollScale>(scale);
  scaleRef.current = scale;

  const virtualizer = useVirtualizer<HTMLDivElement, HTMLDivElement>({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    paddingStart: HEADER_HEIGHT,
    // The virtualizer works in virtual pixels; the element scrolls in real (possibly compressed) pixels.
    observeElementOffset: (instance: Virtualizer<HTMLDivElement, HTMLDivElement>, cb) =>
      observeElementOffset(instance, (offset, isScrolling) => cb(scaleRef.current.toVirtual(offset), isScrolling)),
    scrollToFn: (offset, options, instance) => elementScroll(scaleRef.current.toReal(offset), options, instance),
  });

  const rectHeight = virtualizer.scrollRect?.height ?? 0;
  useEffect(() => {
    if (rectHeight !== viewportHeight) setViewportHeight(rectHeight);
  }, [rectHeight, viewportHeight]);

  // When a compressed mapping changes (resize), re-read the offset through the new mapping.
  // Deferred: the virtualizer flushes synchronously on scroll, which React refuses inside an effect.
  const compressed = scale.realHeight !== scale.virtualHeight;
  useLayoutEffect(() => {
    if (!compressed) return;
    const el = scrollRef.current;
    queueMicrotask(() => el?.dispatchEvent(new Event('scroll')));
  }, [scale, compressed]);

  const items = virtualizer.getVirtualItems();
  // Keys that survive scrolling: row i is keyed i mod `slots`, so a row entering the view takes the
  // elements of one that left, and a jump across the list replaces at most the few slots the two
  // ranges do not share. `slots` covers the most rows the viewport shows, so keys stay unique.
  const slots = Math.max(items.length, Math.ceil(viewportHeight / ROW_HEIGHT) + 1 + 2 * OVERSCAN);
  const first = items.length > 0 ? items[0].index : 0;
  const last = items.length > 0 ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (win !== null && last >= first) win.setVisibleRange(first, last + 1);
  }, [win, first, last]);

  // The table's rows cover whole blocks around the visible items, so while scrolling inside a block
  // the row objects stay the same and memoised rows do not re-render.
  const blockStart = Math.floor(first / DATA_BLOCK) * DATA_BLOCK;
  const blockEnd = Math.min(count, (Math.floor(last / DATA_BLOCK) + 1) * DATA_BLOCK);
  const data = useMemo(() => {
    const out: IndexedContact[] = [];
    if (win === null) return out;
    for (let i = blockStart; i < blockEnd; i++) {
      const contact = win.getRow(i);
      if (contact !== undefined) out.push({ index: i, contact });
    }
    return out;
    // `version` is a dependency on purpose: it changes when the window has new rows.
  }, [win, blockStart, blockEnd, version]);

  const table = useReactTable({
    data,
    columns: contactColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
    state: columnVisibility === undefined ? {} : { columnVisibility },
  });

  const leafColumns = table.getVisibleLeafColumns();
  const template = gridTemplate(leafColumns);
  const columnIdsKey = leafColumns.map((c) => c.id).join(',');
  const columnIds = useMemo(() => columnIdsKey.split(','), [columnIdsKey]);
  const minWidth = leafColumns.reduce((sum, c) => sum + c.getSize(), 0);
  const rowsById = table.getRowModel().rowsById;

  const virtualOffset = virtualizer.scrollOffset ?? 0;
  const shift = scale.toReal(virtualOffset) - virtualOffset;

  // ----- keyboard ------------------------------------------------------

  const ensureVisible = useCallback(
    (index: number) => {
      const el = scrollRef.current;
      if (el === null) return;
      const s = scaleRef.current;
      const v = s.toVirtual(el.scrollTop);
      const h = el.clientHeight;
      const rowTop = HEADER_HEIGHT + index * ROW_HEIGHT;
      if (rowTop < v + HEADER_HEIGHT) el.scrollTop = Math.floor(s.toReal(rowTop - HEADER_HEIGHT));
      else if (rowTop + ROW_HEIGHT > v + h) el.scrollTop = Math.ceil(s.toReal(rowTop + ROW_HEIGHT - h));
    },
    [],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (count === 0) return;
    const el = scrollRef.current;
    const pageRows = Math.max(1, Math.floor(((el?.clientHeight ?? 0) - HEADER_HEIGHT) / ROW_HEIGHT) - 1);
    // Without a highlighted row, start from the first fully visible one.
    const firstVisible = el === null ? 0 : Math.ceil(scaleRef.current.toVirtual(el.scrollTop) / ROW_HEIGHT);
    const current = active ?? Math.min(count - 1, firstVisible);
    if (e.key === 'Enter' || e.key === ' ') {
      if (active === null) return;
      e.preventDefault();
      if (e.key === 'Enter') onOpen?.(active);
      else onToggle?.(active);
      return;
    }
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = active === null ? current : current + 1;
        break;
      case 'ArrowUp':
        next = active === null ? current : current - 1;
        break;
      case 'PageDown':
        next = current + pageRows;
        break;
      case 'PageUp':
        next = current - pageRows;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = count - 1;
        break;
      default:
        return;
    }
    e.preventDefault();
    next = Math.max(0, Math.min(count - 1, next));
    setActive(next);
    ensureVisible(next);
  };

  const onRowClickRef = useRef(onRowClick);
  onRowClickRef.current = onRowClick;
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  const onSelect = useCallback((index: number, e: MouseEvent) => {
    setActive(index);
    onRowClickRef.current?.(index, { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey });
  }, []);
  const onDoubleClick = useCallback((index: number) => onOpenRef.current?.(index), []);

  return (
    <div
      className="table-scroll"
      data-testid="contacts-scroll"
      ref={scrollRef}
      tabIndex={0}
      onKeyDown={onKeyDown}
      role="grid"
      aria-label="Fans"
      aria-rowcount={count + 1}
      aria-colcount={leafColumns.length}
      aria-activedescendant={active !== null && win?.isLoaded(active) ? rowDomId(active) : undefined}
    >
      <div
        className="table"
        role="rowgroup"
        data-testid="contacts-table"
        style={{ height: scale.realHeight, minWidth }}
      >
        {table.getHeaderGroups().map((group) => (
          <div key={group.id} role="row" aria-rowindex={1} className="row row-header" style={{ gridTemplateColumns: template }}>
            {group.headers.map((header) => {
              const meta = header.column.columnDef.meta;
              const field = onSort === undefined || sort === undefined ? undefined : meta?.sort;
              const label = header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext());
              const state = sort === undefined ? undefined : ariaSort(sort, field);
              return (
                <div
                  key={header.id}
                  role="columnheader"
                  aria-sort={state}
                  data-column={header.column.id}
                  className={meta?.align === 'end' ? 'cell cell-end' : 'cell'}
                >
                  {field === undefined ? (
                    label
                  ) : (
                    <button
                      type="button"
                      className="sort-button"
                      data-testid="sort-header"
                      data-sort={field}
                      title={`Sort by ${String(header.column.columnDef.header)}`}
                      onClick={() => onSort?.(field)}
                    >
                      <span>{label}</span>
                      <span className="sort-arrow" aria-hidden="true">
                        {state === 'ascending' ? '▲' : state === 'descending' ? '▼' : ''}
                      </span>
                    </button>
                  )}
                </div>
              );
            })}
          </div>
        ))}
        {/* Rows sit at their virtual offsets; the layer shift maps them into a compressed scroll area. */}
        <div className="rows-layer" role="presentation" style={shift === 0 ? undefined : { transform: `translateY(${shift}px)` }}>
          {items.map((item) => {
            const row = rowsById[String(item.index)];
            return (
              <RowSlot
                key={item.index % slots}
                row={row}
                index={item.index}
                top={item.start}
                template={template}
                columnIds={columnIds}
                active={active === item.index}
                selected={row !== undefined && selected.has(row.original.contact.id)}
                onSelect={onSelect}
                onOpen={onDoubleClick}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}
