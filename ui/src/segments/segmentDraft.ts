// Owns the segment being built in the window: a tree of groups and conditions as typed (strings),
// edits on it, and its segment JSON. Validation is the domain's: invalid drafts are sent as they are
// and the error names the bad node's path, which `errorAt` maps back to the node.
import type { FieldKind, FieldSpec, SegmentJson } from './api';

export type GroupKind = 'all' | 'any' | 'none';

export interface ConditionDraft {
  type: 'condition';
  id: number;
  field: string;
  op: string;
  /** The value as typed: one value, or a comma-separated list for in / has_any…, or the low bound of between. */
  value: string;
  /** The high bound of between. */
  value2: string;
}

export interface GroupDraft {
  type: 'group';
  id: number;
  kind: GroupKind;
  members: Draft[];
}

export type Draft = ConditionDraft | GroupDraft;

/** How a condition's value is entered, from the field's kind and the operator. */
export type ValueShape = 'none' | 'single' | 'list' | 'range' | 'days' | 'bool';

export const GROUP_LABELS: Record<GroupKind, string> = {
  all: 'All of these (AND)',
  any: 'Any of these (OR)',
  none: 'None of these (NOT)',
};

export const OP_LABELS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  between: 'is between',
  before: 'is before',
  after: 'is after',
  within_days: 'within the last … days',
  not_within_days: 'not within the last … days',
  has_any: 'has any of',
  has_all: 'has all of',
  has_none: 'has none of',
};

let nextId = 1;
function newId(): number {
  return nextId++;
}

export function shapeOf(kind: FieldKind, op: string): ValueShape {
  if (op === 'is_empty' || op === 'is_not_empty') return 'none';
  if (op === 'in' || op === 'not_in' || op === 'has_any' || op === 'has_all' || op === 'has_none') return 'list';
  if (op === 'between') return 'range';
  if (op === 'within_days' || op === 'not_within_days') return 'days';
  if (kind === 'boolean') return 'bool';
  return 'single';
}

/** The field's spec; unknown names (a custom field gone from the store) count as text. */
export function specOf(fields: FieldSpec[], field: string): FieldSpec {
  return fields.find((f) => f.field === field) ?? { field, kind: 'text', ops: TEXT_OPS };
}

const TEXT_OPS = ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'ends_with', 'is_empty', 'is_not_empty'];

export function newCondition(fields: FieldSpec[], field?: string): ConditionDraft {
  const spec = field !== undefined ? specOf(fields, field) : (fields[0] ?? specOf(fields, 'email'));
  const op = spec.ops[0] ?? 'eq';
  return { type: 'condition', id: newId(), field: spec.field, op, value: defaultValue(spec, op), value2: '' };
}

export function newGroup(kind: GroupKind = 'any', members: Draft[] = []): GroupDraft {
  return { type: 'group', id: newId(), kind, members };
}

function defaultValue(spec: FieldSpec, op: string): string {
  const shape = shapeOf(spec.kind, op);
  if (shape === 'bool') return 'true';
  if (shape === 'days') return '30';
  if (shape === 'single' && spec.values !== undefined && spec.values.length > 0) return spec.values[0];
  return '';
}

/** A new field keeps the operator when it fits, else takes the field's first; the value is kept when its shape stays. */
export function withField(c: ConditionDraft, fields: FieldSpec[], field: string): ConditionDraft {
  const before = specOf(fields, c.field);
  const spec = specOf(fields, field);
  const op = spec.ops.includes(c.op) ? c.op : (spec.ops[0] ?? 'eq');
  const keep = before.kind === spec.kind && shapeOf(before.kind, c.op) === shapeOf(spec.kind, op) && spec.values === undefined;
  return { ...c, field, op, value: keep ? c.value : defaultValue(spec, op), value2: keep ? c.value2 : '' };
}

export function withOp(c: ConditionDraft, fields: FieldSpec[], op: string): ConditionDraft {
  const spec = specOf(fields, c.field);
  const keep = shapeOf(spec.kind, c.op) === shapeOf(spec.kind, op);
  return { ...c, op, value: keep ? c.value : defaultValue(spec, op), value2: keep ? c.value2 : '' };
}

// ----- tree edits (immutable) ------------------------------------------------

export function updateNode(root: GroupDraft, id: number, f: (d: Draft) => Draft): GroupDraft {
  const walk = (d: Draft): Draft => {
    if (d.id === id) return f(d);
    if (d.type === 'group') return { ...d, members: d.members.map(walk) };
    return d;
  };
  return walk(root) as GroupDraft;
}

export function removeNode(root: GroupDraft, id: number): GroupDraft {
  const walk = (g: GroupDraft): GroupDraft => ({
    ...g,
    members: g.members.filter((m) => m.id !== id).map((m) => (m.type === 'group' ? walk(m) : m)),
  });
  return walk(root);
}

export function addMember(root: GroupDraft, groupId: number, member: Draft): GroupDraft {
  return updateNode(root, groupId, (g) => (g.type === 'group' ? { ...g, members: [...g.members, member] } : g));
}

export function conditionCount(d: Draft): number {
  return d.type === 'condition' ? 1 : d.members.reduce((n, m) => n + conditionCount(m), 0);
}

// ----- JSON ------------------------------------------------------------------

/** Numbers typed as text become numbers; anything else is sent as typed, for the domain to name. */
function typed(kind: FieldKind, text: string): unknown {
  const t = text.trim();
  if (kind === 'number' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (kind === 'date' && /^-?\d+$/.test(t)) return Number(t);
  return kind === 'text' || kind === 'tags' ? text : t;
}

export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export function toJson(d: Draft, fields: FieldSpec[]): SegmentJson {
  if (d.type === 'group') {
    const members = d.members.map((m) => toJson(m, fields));
    return d.kind === 'all' ? { all: members } : d.kind === 'any' ? { any: members } : { none: members };
  }
  const spec = specOf(fields, d.field);
  const shape = shapeOf(spec.kind, d.op);
  const base = { field: d.field, op: d.op };
  switch (shape) {
    case 'none':
      return base;
    case 'bool':
      return { ...base, value: d.value === 'true' };
    case 'days':
      return { ...base, value: typed('number', d.value) };
    case 'list':
      return { ...base, value: splitList(d.value).map((v) => typed(spec.kind, v)) };
    case 'range':
      return { ...base, value: [typed(spec.kind, d.value), typed(spec.kind, d.value2)] };
    case 'single':
      return { ...base, value: typed(spec.kind, d.value) };
  }
}

function asText(kind: FieldKind, v: unknown): string {
  if (kind === 'date' && typeof v === 'number') return new Date(v).toISOString().slice(0, 10);
  if (typeof v === 'string') return v;
  return v === undefined || v === null ? '' : String(v);
}

/** The draft of saved segment JSON (for editing a saved segment again). */
export function fromJson(json: SegmentJson, fields: FieldSpec[]): Draft {
  for (const kind of ['all', 'any', 'none'] as const) {
    const members = (json as Record<string, unknown>)[kind];
    if (Array.isArray(members)) return newGroup(kind, members.map((m) => fromJson(m as SegmentJson, fields)));
  }
  const c = json as { field: string; op: string; value?: unknown };
  const spec = specOf(fields, c.field);
  const shape = shapeOf(spec.kind, c.op);
  let value = '';
  let value2 = '';
  if (shape === 'list' && Array.isArray(c.value)) value = c.value.map((v) => asText(spec.kind, v)).join(', ');
  else if (shape === 'range' && Array.isArray(c.value)) {
    value = asText(spec.kind, c.value[0]);
    value2 = asText(spec.kind, c.value[1]);
  } else if (shape === 'bool') value = c.value === false ? 'false' : 'true';
  else if (shape !== 'none') value = asText(shape === 'days' ? 'number' : spec.kind, c.value);
  return { type: 'condition', id: newId(), field: c.field, op: c.op, value, value2 };
}

/** The root group of the builder: `fromJson` of a saved segment whose root is a condition wraps it in `all`. */
export function rootOf(json: SegmentJson, fields: FieldSpec[]): GroupDraft {
  const d = fromJson(json, fields);
  return d.type === 'group' ? d : newGroup('all', [d]);
}

// ----- error paths ---------------------------------------------------------------

/** `key` under `path`, as the domain writes paths: `all`, `all[1].any`. */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** The path of member `i` of a group at `path` of kind `kind`: `all[1]`. */
export function memberPath(path: string, kind: GroupKind, i: number): string {
  return `${childPath(path, kind)}[${i}]`;
}

/** True when the domain's error message is about this condition (`all[1].any[0].op: …`). */
export function conditionHasError(error: string | null, path: string): boolean {
  return error !== null && (error.startsWith(`${path}.`) || error.startsWith(`${path}:`));
}

/** True when the error is about the group itself (`all[1].any: empty group…`). */
export function groupHasError(error: string | null, path: string, kind: GroupKind): boolean {
  return error !== null && error.startsWith(`${childPath(path, kind)}:`);
}
