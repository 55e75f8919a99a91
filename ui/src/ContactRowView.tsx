// Owns how one slot of the contacts table looks: a loaded contact row (cells from the column model) or its loading placeholder, in one element shape.
import { flexRender, type Row } from '@tanstack/react-table';
import { memo, type CSSProperties, type MouseEvent } from 'react';
import type { IndexedContact } from './contactColumns';

export const ROW_HEIGHT = 36;

export function rowDomId(index: number): string {
  return `contact-row-${index}`;
}

export interface RowSlotProps {
  /** The loaded row at `index`, or `undefined` while it loads. */
  row: Row<IndexedContact> | undefined;
  index: number;
  top: number;
  template: string;
  active: boolean;
  /** Part of the multi-row selection (bulk actions). */
  selected?: boolean;
  onSelect: (index: number, e: MouseEvent) => void;
  onOpen?: (index: number) => void;
  /** The visible columns' ids, in order (the placeholder's cells). */
  columnIds: readonly string[];
}

/**
 * One slot of the virtual list. A loaded row and its placeholder share one element shape (a row of
 * cells keyed by column), so when the table gives a slot a key that survives scrolling, a jump
 * across the list updates these elements in place. Replacing every row and cell instead discarded
 * thousands of elements per second of a dragged scrollbar, and now and then WebKit spent one
 * uninterrupted 100–200 ms task on memory work (300 ms with the system allocator): a frozen frame.
 */
export const RowSlot = memo(function RowSlot(props: RowSlotProps) {
  const { row } = props;
  return row === undefined ? loadingRow(props) : loadedRow(props, row);
});

/** Plain render functions (not components), so both states are the same element to React. */
function loadedRow(
  { top, template, active, selected = false, onSelect, onOpen }: RowSlotProps,
  row: Row<IndexedContact>,
) {
  const { index, contact } = row.original;
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template };
  return (
    <div
      role="row"
      id={rowDomId(index)}
      aria-rowindex={index + 2}
      aria-selected={selected || active}
      className={['row', active ? 'is-active' : '', selected ? 'is-selected' : ''].filter(Boolean).join(' ')}
      data-testid="contact-row"
      data-index={index}
      data-email={contact.email}
      data-status={contact.status}
      style={style}
      data-id={contact.id}
      data-fan={contact.fan === false ? 'false' : 'true'}
      onMouseDown={(e) => {
        // Shift-click selects a range: keep the browser from selecting text instead.
        if (e.shiftKey) e.preventDefault();
        onSelect(index, e);
      }}
      onDoubleClick={() => onOpen?.(index)}
    >
      {row.getVisibleCells().map((cell) => {
        const align = cell.column.columnDef.meta?.align;
        return (
          <div key={cell.column.id} role="gridcell" className={align === 'end' ? 'cell cell-end' : 'cell'}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </div>
        );
      })}
    </div>
  );
}

function loadingRow({ index, top, template, columnIds }: RowSlotProps) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template };
  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      aria-busy="true"
      className="row row-loading"
      data-testid="contact-row-loading"
      data-index={index}
      style={style}
    >
      {columnIds.map((id, i) => (
        <div key={id} className="cell" role="gridcell">
          <span className="skeleton" style={{ width: `${40 + ((index * 7 + i * 13) % 45)}%` }} />
        </div>
      ))}
    </div>
  );
}
