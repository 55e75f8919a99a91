// Owns the rendering tests of a contact row: hostile imported text stays literal text.
import { getCoreRowModel, useReactTable } from '@tanstack/react-table';
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ContactRow } from './api';
import { contactColumns, gridTemplate, type IndexedContact } from './contactColumns';
import { RowSlot } from './ContactRowView';
import { makeContact } from './testing/fakeSource';

afterEach(cleanup);

function Harness({ contact, index }: { contact: ContactRow; index: number }) {
  const table = useReactTable<IndexedContact>({
    data: [{ index, contact }],
    columns: contactColumns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (r) => String(r.index),
  });
  const row = table.getRowModel().rowsById[String(index)];
  return (
    <RowSlot
      row={row}
      index={index}
      top={0}
      template={gridTemplate(table.getVisibleLeafColumns())}
      columnIds={table.getVisibleLeafColumns().map((c) => c.id)}
      active={false}
      onSelect={() => {}}
    />
  );
}

const HOSTILE_NAME = '<img src=x onerror=alert(1)>';

describe('RowSlot', () => {
  it('renders a hostile name, email and tags literally, creating no elements', () => {
    const contact: ContactRow = {
      ...makeContact(7),
      name: HOSTILE_NAME,
      email: '"><script>alert(2)</script>@example.com',
      tags: ['<b>bold</b>', '<img src=y onerror=alert(3)>'],
      daw: '<svg onload=alert(4)>',
    };
    const { container } = render(<Harness contact={contact} index={41} />);
    const row = screen.getByTestId('contact-row');
    expect(row.getAttribute('data-index')).toBe('41');
    expect(row.getAttribute('data-email')).toBe(contact.email);
    expect(screen.getByText(HOSTILE_NAME).textContent).toBe(HOSTILE_NAME);
    expect(screen.getByText('<b>bold</b>')).toBeTruthy();
    expect(screen.getByText('<svg onload=alert(4)>')).toBeTruthy();
    expect(row.textContent).toContain(HOSTILE_NAME);
    expect(row.textContent).toContain('<script>alert(2)</script>');
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
    expect(container.querySelector('svg')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });

  it('shows the type badge, chips, score, dashes for unset values and the date', () => {
    const contact: ContactRow = {
      ...makeContact(1),
      type: 'subscription',
      tags: ['piano', 'theory', 'jazz', 'ear-training', 'sight-reading'],
      score: 1234,
      daw: '',
      student_level: '',
      last_open_date: null,
    };
    render(<Harness contact={contact} index={0} />);
    const row = screen.getByTestId('contact-row');
    const cells = Array.from(row.querySelectorAll('[role="gridcell"]')).map((c) => c.textContent);
    expect(cells).toEqual([
      contact.email,
      contact.name,
      'Subscriber',
      '—', // no platform account
      'Active',
      'pianotheory+3',
      '1,234',
      '—',
      'Jazz',
      '—',
      '—',
      '$1.00',
    ]);
  });

  it('shows the Registered user badge and a user without a fan record', () => {
    const contact: ContactRow = {
      ...makeContact(2),
      type: '' as ContactRow['type'],
      status: '' as ContactRow['status'],
      has_account: true,
      fan: false,
      id: -3,
    };
    render(<Harness contact={contact} index={0} />);
    const row = screen.getByTestId('contact-row');
    expect(row.getAttribute('data-fan')).toBe('false');
    expect(row.textContent).toContain('Registered user');
    expect(row.textContent).toContain('No fan record');
  });

  it('renders a placeholder for rows not loaded yet', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    render(
      <RowSlot row={undefined} index={5} top={180} template="1fr" columnIds={ids} active={false} onSelect={() => {}} />,
    );
    const row = screen.getByTestId('contact-row-loading');
    expect(row.getAttribute('data-index')).toBe('5');
    expect(row.querySelectorAll('[role="gridcell"]')).toHaveLength(9);
  });
});
