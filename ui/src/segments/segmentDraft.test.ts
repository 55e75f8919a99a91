// Owns the segment draft tests: JSON out and back, field/operator changes, tree edits and error paths.
import { describe, expect, it } from 'vitest';
import type { FieldSpec } from './api';
import {
  addMember,
  conditionHasError,
  groupHasError,
  memberPath,
  newCondition,
  newGroup,
  removeNode,
  rootOf,
  shapeOf,
  toJson,
  updateNode,
  withField,
  withOp,
  type ConditionDraft,
  type GroupDraft,
} from './segmentDraft';

const FIELDS: FieldSpec[] = [
  { field: 'email', kind: 'text', ops: ['eq', 'neq', 'in', 'contains', 'is_empty'] },
  { field: 'daw', kind: 'text', ops: ['eq', 'neq', 'in', 'contains', 'is_empty'] },
  { field: 'status', kind: 'text', ops: ['eq', 'in'], values: ['active', 'unsubscribed', 'bounced', 'complained'] },
  { field: 'score', kind: 'number', ops: ['eq', 'gt', 'gte', 'between', 'in'] },
  { field: 'opens_email', kind: 'boolean', ops: ['eq', 'neq'] },
  { field: 'last_open_date', kind: 'date', ops: ['before', 'after', 'between', 'within_days', 'is_empty'] },
  { field: 'tags', kind: 'tags', ops: ['has_any', 'has_all', 'has_none', 'is_empty'] },
];

const EXAMPLE = {
  all: [
    { field: 'daw', op: 'eq', value: 'Ableton' },
    { any: [{ field: 'tags', op: 'has_any', value: ['vip', 'course-buyer'] }, { field: 'score', op: 'gte', value: 50 }] },
    { none: [{ field: 'status', op: 'in', value: ['unsubscribed', 'bounced'] }] },
    { field: 'last_open_date', op: 'within_days', value: 90 },
    { field: 'score', op: 'between', value: [10, 20] },
    { field: 'opens_email', op: 'eq', value: false },
    { field: 'email', op: 'is_empty' },
  ],
};

describe('segment drafts', () => {
  it('give back the segment JSON they were made from, nested groups included', () => {
    expect(toJson(rootOf(EXAMPLE, FIELDS), FIELDS)).toEqual(EXAMPLE);
  });

  it('pick the value input from the kind and operator', () => {
    expect(shapeOf('tags', 'has_any')).toBe('list');
    expect(shapeOf('number', 'between')).toBe('range');
    expect(shapeOf('date', 'within_days')).toBe('days');
    expect(shapeOf('boolean', 'eq')).toBe('bool');
    expect(shapeOf('text', 'is_not_empty')).toBe('none');
    expect(shapeOf('number', 'gte')).toBe('single');
  });

  it('send numbers as numbers and leave bad input for the domain to name', () => {
    const c: ConditionDraft = { ...newCondition(FIELDS, 'score'), op: 'gte', value: ' 50 ' };
    expect(toJson(c, FIELDS)).toEqual({ field: 'score', op: 'gte', value: 50 });
    expect(toJson({ ...c, value: 'fifty' }, FIELDS)).toEqual({ field: 'score', op: 'gte', value: 'fifty' });
    const list: ConditionDraft = { ...newCondition(FIELDS, 'tags'), value: 'vip, , course-buyer ,' };
    expect(toJson(list, FIELDS)).toEqual({ field: 'tags', op: 'has_any', value: ['vip', 'course-buyer'] });
  });

  it('keep the operator and value when the new field takes them, else reset to what fits', () => {
    const daw: ConditionDraft = { ...newCondition(FIELDS, 'daw'), op: 'contains', value: 'able' };
    expect(withField(daw, FIELDS, 'email')).toMatchObject({ field: 'email', op: 'contains', value: 'able' });
    expect(withField(daw, FIELDS, 'score')).toMatchObject({ field: 'score', op: 'eq', value: '' });
    expect(withField(daw, FIELDS, 'status')).toMatchObject({ field: 'status', op: 'eq', value: 'active' });
    expect(withField(daw, FIELDS, 'opens_email')).toMatchObject({ op: 'eq', value: 'true' });
    const score: ConditionDraft = { ...newCondition(FIELDS, 'score'), value: '5' };
    expect(withOp(score, FIELDS, 'gt').value, 'same shape keeps the value').toBe('5');
    expect(withOp(score, FIELDS, 'between')).toMatchObject({ op: 'between', value: '', value2: '' });
  });

  it('add, change and remove nested members', () => {
    let root: GroupDraft = newGroup('all');
    const inner = newGroup('any');
    root = addMember(root, root.id, newCondition(FIELDS, 'daw'));
    root = addMember(root, root.id, inner);
    root = addMember(root, inner.id, newCondition(FIELDS, 'score'));
    expect(toJson(root, FIELDS)).toEqual({
      all: [{ field: 'daw', op: 'eq', value: '' }, { any: [{ field: 'score', op: 'eq', value: '' }] }],
    });
    root = updateNode(root, inner.id, (g) => (g.type === 'group' ? { ...g, kind: 'none' } : g));
    expect(toJson(root, FIELDS)).toMatchObject({ all: [{}, { none: [{ field: 'score' }] }] });
    root = removeNode(root, inner.id);
    expect(toJson(root, FIELDS)).toEqual({ all: [{ field: 'daw', op: 'eq', value: '' }] });
  });

  it('map an error path to the node it names, and only that node', () => {
    const error = 'all[1].any[0].op: unknown operator "gte "';
    const groupPath = memberPath('', 'all', 1);
    expect(groupPath).toBe('all[1]');
    expect(conditionHasError(error, memberPath(groupPath, 'any', 0))).toBe(true);
    expect(conditionHasError(error, memberPath(groupPath, 'any', 1))).toBe(false);
    expect(conditionHasError('all[10].op: unknown operator "x"', 'all[1]'), 'all[1] is not all[10]').toBe(false);
    expect(groupHasError(error, groupPath, 'any'), 'the group is not the bad node').toBe(false);
    expect(groupHasError('all[1].any: empty group: add at least one condition', groupPath, 'any')).toBe(true);
  });
});
