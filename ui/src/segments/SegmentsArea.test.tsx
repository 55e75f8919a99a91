// Owns the segments area tests: the debounced live count, errors with their path, saving (and
// replacing only after confirmation), and opening a saved segment.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FieldSpec, SegmentJson } from './api';

afterEach(cleanup);

const FIELDS: FieldSpec[] = [
  { field: 'daw', kind: 'text', ops: ['eq', 'neq', 'contains'] },
  { field: 'score', kind: 'number', ops: ['eq', 'gte', 'between'] },
  { field: 'tags', kind: 'tags', ops: ['has_any', 'has_none'] },
];

const calls = { count: vi.fn(), save: vi.fn() };
let existing = new Set<string>();

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    segmentsFields: async () => FIELDS,
    scoringRules: async () => [],
    scoringEventKinds: async () => ['open', 'click'],
    segmentsList: async () => [
      { name: 'Paying customers', builtin: true, definition: { field: 'score', op: 'gte', value: 1 }, created_at: null, updated_at: null, count: 12 },
      ...[...existing].map((name) => ({ name, builtin: false, definition: { all: [{ field: 'daw', op: 'eq', value: 'Bitwig' }] }, created_at: 1, updated_at: 1, count: 3 })),
    ],
    segmentsCount: async (_s: string, definition: SegmentJson) => {
      calls.count(definition);
      const text = JSON.stringify(definition);
      if (text.includes('"value":""')) throw { code: 'SEGMENT_INVALID', message: 'all[0].value: empty text matches everything: use is_empty or is_not_empty' };
      return text.length;
    },
    segmentsSave: async (_s: string, name: string, definition: SegmentJson, replace: boolean) => {
      calls.save(name, definition, replace);
      if (existing.has(name) && !replace) throw { code: 'SEGMENT_EXISTS', message: 'exists' };
      existing.add(name);
      return { name, builtin: false, definition, created_at: 1, updated_at: 1 };
    },
    segmentsDelete: async (_s: string, name: string) => {
      existing.delete(name);
    },
  };
});
vi.mock('../api', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api')>();
  return { ...real, tagsList: async () => [{ name: 'vip', count: 3 }] };
});

const { SegmentsArea } = await import('./SegmentsArea');

function setup() {
  existing = new Set();
  calls.count.mockClear();
  calls.save.mockClear();
  const onOpenSegment = vi.fn();
  const onError = vi.fn();
  render(<SegmentsArea storeId="s1" onError={onError} onOpenSegment={onOpenSegment} />);
  return { onOpenSegment, onError };
}

const countEl = () => screen.getByTestId('segment-count');

describe('SegmentsArea', () => {
  it('counts live after typing settles, and names the bad node when invalid', async () => {
    setup();
    fireEvent.click(await screen.findByTestId('group-add-condition'));
    await waitFor(() => expect(countEl().getAttribute('data-state')).toBe('invalid'));
    expect(screen.getByTestId('segment-error').textContent).toContain('all[0].value: empty text');
    expect(screen.getByTestId('segment-condition').className).toContain('has-error');

    const input = screen.getByTestId('cond-value');
    for (const text of ['A', 'Ab', 'Abl']) fireEvent.change(input, { target: { value: text } });
    await waitFor(() => expect(countEl().getAttribute('data-state')).toBe('ready'));
    const sent = calls.count.mock.calls.map((c) => JSON.stringify(c[0]));
    expect(sent.some((s) => s.includes('"A"') || s.includes('"Ab"')), 'keystrokes inside the debounce are not counted').toBe(false);
    const want = { all: [{ field: 'daw', op: 'eq', value: 'Abl' }] };
    expect(countEl().getAttribute('data-count')).toBe(String(JSON.stringify(want).length));
    expect(JSON.parse(screen.getByTestId('segment-json').textContent ?? '')).toEqual(want);
  });

  it('builds a nested group with the operators of each field', async () => {
    setup();
    fireEvent.click(await screen.findByTestId('group-add-group'));
    const inner = screen.getAllByTestId('segment-group')[1];
    expect(inner.getAttribute('data-path')).toBe('all[0]');
    fireEvent.change(screen.getByTestId('cond-field'), { target: { value: 'tags' } });
    const ops = [...screen.getByTestId('cond-op').querySelectorAll('option')].map((o) => o.getAttribute('value'));
    expect(ops).toEqual(['has_any', 'has_none']);
    fireEvent.change(screen.getByTestId('cond-value'), { target: { value: 'vip, course-buyer' } });
    fireEvent.change(screen.getAllByTestId('group-kind')[1], { target: { value: 'none' } });
    await waitFor(() =>
      expect(JSON.parse(screen.getByTestId('segment-json').textContent ?? '')).toEqual({
        all: [{ none: [{ field: 'tags', op: 'has_any', value: ['vip', 'course-buyer'] }] }],
      }),
    );
    fireEvent.click(screen.getByTestId('group-remove'));
    expect(screen.getAllByTestId('segment-group')).toHaveLength(1);
  });

  it('saves under a name, replaces only after confirmation, and opens a saved segment', async () => {
    const { onOpenSegment } = setup();
    fireEvent.click(await screen.findByTestId('group-add-condition'));
    fireEvent.change(screen.getByTestId('cond-value'), { target: { value: 'Bitwig' } });
    fireEvent.change(screen.getByTestId('segment-name'), { target: { value: 'Bitwig fans' } });
    await waitFor(() => expect((screen.getByTestId('segment-save') as HTMLButtonElement).disabled).toBe(false));
    await act(async () => fireEvent.click(screen.getByTestId('segment-save')));
    expect(calls.save).toHaveBeenLastCalledWith('Bitwig fans', { all: [{ field: 'daw', op: 'eq', value: 'Bitwig' }] }, false);
    await waitFor(() => expect(screen.getAllByTestId('saved-segment').map((e) => e.getAttribute('data-name'))).toContain('Bitwig fans'));

    await act(async () => fireEvent.click(screen.getByTestId('segment-save')));
    expect(screen.getByTestId('confirm-replace')).toBeTruthy();
    expect(calls.save).toHaveBeenCalledTimes(2);
    await act(async () => fireEvent.click(screen.getByTestId('confirm-replace-ok')));
    expect(calls.save).toHaveBeenLastCalledWith('Bitwig fans', expect.anything(), true);

    const item = screen.getAllByTestId('saved-segment').find((e) => e.getAttribute('data-name') === 'Bitwig fans');
    fireEvent.click(item!.querySelector('[data-testid="segment-open"]')!);
    expect(onOpenSegment).toHaveBeenCalledWith('Bitwig fans');
    const builtin = screen.getAllByTestId('saved-segment')[0];
    expect(builtin.querySelector('[data-testid="segment-delete"]'), 'built-in segments cannot be deleted').toBeNull();
  });

  it('loads a saved segment back into the builder to edit it', async () => {
    existing = new Set(['Bitwig fans']);
    render(<SegmentsArea storeId="s1" onError={vi.fn()} />);
    const item = await screen.findByText('Bitwig fans');
    await waitFor(() => expect(screen.getByTestId('group-add-condition')).toBeTruthy());
    fireEvent.click(item.closest('li')!.querySelector('[data-testid="segment-edit"]')!);
    expect(JSON.parse(screen.getByTestId('segment-json').textContent ?? '')).toEqual({ all: [{ field: 'daw', op: 'eq', value: 'Bitwig' }] });
    expect((screen.getByTestId('segment-name') as HTMLInputElement).value).toBe('Bitwig fans');
    await waitFor(() => expect(countEl().getAttribute('data-state')).toBe('ready'));
  });
});
