// Owns the contacts table's column model (TanStack Table column definitions and cell renderers).
import { createColumnHelper, type ColumnDef } from '@tanstack/react-table';
import type { ContactRow, ContactType, SortField } from './api';
import { Badge, Chip, type BadgeTone } from './components';
import { formatDate, formatMoney, formatNumber, orDash, statusLabel, typeLabel } from './format';

/** One loaded row as the table sees it: the contact and its absolute index in the list. */
export interface IndexedContact {
  index: number;
  contact: ContactRow;
}

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData, TValue> {
    /** Share of the spare width this column takes (0 = fixed width). */
    grow?: number;
    align?: 'start' | 'end';
    /** The domain sort field of this column; absent = not sortable. */
    sort?: SortField;
    /** Hidden until the user shows it (column menu). */
    hiddenByDefault?: boolean;
  }
}

const TYPE_TONES: Record<ContactType, BadgeTone> = {
  lead: 'neutral',
  paying: 'success',
  subscription: 'accent',
};

/** Rough chip width at 12px system font, used to decide how many chips fit before "+N". */
function chipWidth(tag: string): number {
  return Math.min(110, tag.length * 6.6 + 16) + 4;
}

function Text({ value }: { value: string }) {
  const shown = orDash(value);
  return (
    <span className={value === '' ? 'cell-text is-empty' : 'cell-text'} title={value === '' ? undefined : value}>
      {shown}
    </span>
  );
}

function Tags({ tags, budget }: { tags: string[]; budget: number }) {
  if (tags.length === 0) return <span className="cell-text is-empty">—</span>;
  const moreWidth = 34;
  let used = 0;
  let shown = 0;
  while (shown < tags.length) {
    const w = chipWidth(tags[shown]);
    const reserve = shown + 1 < tags.length ? moreWidth : 0;
    if (shown > 0 && used + w + reserve > budget) break;
    used += w;
    shown++;
  }
  const rest = tags.length - shown;
  return (
    <span className="chips" title={tags.join(', ')}>
      {tags.slice(0, shown).map((t, i) => (
        <Chip key={`${i}:${t}`}>{t}</Chip>
      ))}
      {rest > 0 && <Chip muted>{`+${rest}`}</Chip>}
    </span>
  );
}

const col = createColumnHelper<IndexedContact>();

// Columns mix value types, so the value type parameter is left open (TanStack's own pattern).
export const contactColumns: ColumnDef<IndexedContact, any>[] = [
  col.accessor((r) => r.contact.email, {
    id: 'email',
    header: 'Email',
    size: 210,
    meta: { grow: 2, sort: 'email' },
    cell: (c) => <Text value={c.getValue<string>()} />,
  }),
  col.accessor((r) => r.contact.name, {
    id: 'name',
    header: 'Name',
    size: 140,
    meta: { grow: 2, sort: 'name' },
    cell: (c) => <Text value={c.getValue<string>()} />,
  }),
  col.accessor((r) => r.contact.type, {
    id: 'type',
    header: 'Type',
    size: 112,
    meta: { sort: 'type' },
    cell: (c) => {
      const t = c.getValue<ContactType>();
      if ((t as string) === '') return <span className="cell-text is-empty">No fan record</span>;
      return <Badge tone={TYPE_TONES[t] ?? 'neutral'}>{typeLabel(t)}</Badge>;
    },
  }),
  col.accessor((r) => r.contact.has_account, {
    id: 'account',
    header: 'Account',
    size: 128,
    cell: (c) =>
      c.getValue<boolean>() ? (
        <Badge tone="info">Registered user</Badge>
      ) : (
        <span className="cell-text is-empty">—</span>
      ),
  }),
  col.accessor((r) => r.contact.status, {
    id: 'status',
    header: 'Status',
    size: 112,
    meta: { sort: 'status', hiddenByDefault: true },
    cell: (c) => <Text value={statusLabel(c.getValue<string>())} />,
  }),
  col.accessor((r) => r.contact.tags, {
    id: 'tags',
    header: 'Tags',
    size: 170,
    meta: { grow: 1 },
    cell: (c) => <Tags tags={c.getValue<string[]>()} budget={c.column.getSize() - 20} />,
  }),
  col.accessor((r) => r.contact.score, {
    id: 'score',
    header: 'Score',
    size: 72,
    meta: { align: 'end', sort: 'score' },
    cell: (c) => <span className="cell-text num">{formatNumber(c.getValue<number>())}</span>,
  }),
  col.accessor((r) => r.contact.daw, {
    id: 'daw',
    header: 'DAW',
    size: 112,
    meta: { grow: 1, sort: 'daw' },
    cell: (c) => <Text value={c.getValue<string>()} />,
  }),
  col.accessor((r) => r.contact.type_of_music, {
    id: 'genre',
    header: 'Genre',
    size: 100,
    meta: { grow: 1, sort: 'type_of_music', hiddenByDefault: true },
    cell: (c) => <Text value={c.getValue<string>()} />,
  }),
  col.accessor((r) => r.contact.student_level, {
    id: 'level',
    header: 'Level',
    size: 116,
    meta: { sort: 'student_level', hiddenByDefault: true },
    cell: (c) => <Text value={c.getValue<string>()} />,
  }),
  col.accessor((r) => r.contact.last_open_date, {
    id: 'lastOpen',
    header: 'Last open',
    size: 120,
    meta: { sort: 'last_open_date' },
    cell: (c) => {
      const ms = c.getValue<number | null>();
      return <span className={ms === null ? 'cell-text is-empty' : 'cell-text'}>{formatDate(ms)}</span>;
    },
  }),
  col.accessor((r) => r.contact.total_spent, {
    id: 'spent',
    header: 'Spent',
    size: 92,
    meta: { align: 'end', sort: 'total_spent', hiddenByDefault: true },
    cell: (c) => <span className="cell-text num">{formatMoney(c.getValue<number>())}</span>,
  }),
];

/** Which columns show when the user has not chosen (TanStack `columnVisibility`). */
export function defaultColumnVisibility(): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const c of contactColumns) if (c.id !== undefined) out[c.id] = c.meta?.hiddenByDefault !== true;
  return out;
}

/** CSS grid template for the columns: fixed widths, with growable columns sharing spare space. */
export function gridTemplate(columns: { getSize(): number; columnDef: { meta?: { grow?: number } } }[]): string {
  return columns
    .map((c) => {
      const grow = c.columnDef.meta?.grow ?? 0;
      return grow > 0 ? `minmax(${c.getSize()}px, ${grow}fr)` : `${c.getSize()}px`;
    })
    .join(' ');
}
