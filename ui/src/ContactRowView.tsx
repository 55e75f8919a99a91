// Owns how one table row looks: a loaded contact row (cells from the column model) or its loading placeholder.
import { flexRender, type Row } from '@tanstack/react-table';
import { memo, type CSSProperties } from 'react';
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
  onSelect: (index: number) => void;
}

function ContactRowViewImpl({ row, top, template, active, onSelect }: ContactRowViewProps) {
  const { index, contact } = row.original;
  const style: CSSProperties = { transform: `translateY(${top}px)`, gridTemplateColumns: template };
  return (
    <div
      role="row"
      id={rowDomId(index)}
      aria-rowindex={index + 2}
      aria-selected={active}
      className={active ? 'row is-active' : 'row'}
      data-testid="contact-row"
      data-index={index}
      data-email={contact.email}
      data-status={contact.status}
      style={style}
      onMouseDown={() => onSelect(index)}
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
