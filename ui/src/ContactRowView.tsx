// Owns how one table row looks: a loaded contact row (cells from the column model) or its loading placeholder.
import { flexRender, type Row } from '@tanstack/react-table';
import { memo, type CSSProperties, type MouseEvent } from 'react';
import type { IndexedContact } from './contactColumns';

export const ROW_HEIGHT = 36;

export function rowDomId(index: number): string {
  return `contact-row-${index}`;
}

interface ContactRowViewProps {
  row: Row<IndexedContact>;
  top: number;
  template: string;
  active: boolean;
  /** Part of the multi-row selection (bulk actions). */
  selected?: boolean;
  onSelect: (index: number, e: MouseEvent) => void;
  onOpen?: (index: number) => void;
}

function ContactRowViewImpl({ row, top, template, active, selected = false, onSelect, onOpen }: ContactRowViewProps) {
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
          <div key={cell.id} role="gridcell" className={align === 'end' ? 'cell cell-end' : 'cell'}>
            {flexRender(cell.column.columnDef.cell, cell.getContext())}
          </div>
        );
      })}
    </div>
  );
}

export const ContactRowView = memo(ContactRowViewImpl);

export const LoadingRow = memo(function LoadingRow({
  index,
  top,
  template,
  columns,
}: {
  index: number;
  top: number;
  template: string;
  columns: number;
}) {
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template };
  const cells = [];
  for (let i = 0; i < columns; i++) {
    cells.push(
      <div key={i} className="cell" role="gridcell">
        <span className="skeleton" style={{ width: `${40 + ((index * 7 + i * 13) % 45)}%` }} />
      </div>,
    );
  }
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
      {cells}
    </div>
  );
});
