// Owns the lead-scoring panel's tests: the form's validation, saving an event rule and a condition
// rule (the builder's segment), the server's error with its path, delete after confirmation, recompute.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScoringRule, SegmentJson } from './api';

afterEach(cleanup);

let rules: ScoringRule[] = [];
const calls = { set: vi.fn(), del: vi.fn(), recompute: vi.fn() };

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    scoringRules: async () => rules.map((r) => ({ ...r })),
    scoringEventKinds: async () => ['open', 'click', 'purchase'],
    scoringRuleSet: async (_s: string, rule: ScoringRule) => {
      calls.set(rule);
      if (rule.points === 999) throw { code: 'RULE_INVALID', message: 'invalid scoring rule: points: too many' };
      rules = [...rules.filter((r) => r.name !== rule.name), rule];
      return rule;
    },
    scoringRuleDelete: async (_s: string, name: string) => {
      calls.del(name);
      rules = rules.filter((r) => r.name !== name);
    },
    scoringRecompute: async () => {
      calls.recompute();
      return { contacts: 20000, changed: 1234 };
    },
  };
});

const { ScoringRules, ruleOf, CONDITION } = await import('./ScoringRules');

const SEGMENT: SegmentJson = { all: [{ field: 'daw', op: 'eq', value: 'Ableton' }] };

function renderPanel(segment: SegmentJson | null = SEGMENT) {
  const props = { onLoadCondition: vi.fn(), onError: vi.fn(), onNotice: vi.fn() };
  render(<ScoringRules storeId="s1" segment={segment} {...props} />);
  return props;
}

beforeEach(() => {
  rules = [{ name: 'Opens', event: 'open', points: 10 }];
  calls.set.mockReset();
  calls.del.mockReset();
  calls.recompute.mockReset();
});

describe('ruleOf', () => {
  it('builds event and condition rules and explains what is missing', () => {
    expect(ruleOf({ name: ' Clicks ', trigger: 'click', points: '5', expires: '30' }, null)).toEqual({
      name: 'Clicks',
      event: 'click',
      points: 5,
      expires_days: 30,
    });
    expect(ruleOf({ name: 'Ableton', trigger: CONDITION, points: '-3', expires: '' }, SEGMENT)).toEqual({
      name: 'Ableton',
      condition: SEGMENT,
      points: -3,
    });
    expect(ruleOf({ name: '', trigger: 'open', points: '1', expires: '' }, null)).toMatch(/name/);
    expect(ruleOf({ name: 'x', trigger: 'open', points: '1.5', expires: '' }, null)).toMatch(/whole number/);
    expect(ruleOf({ name: 'x', trigger: CONDITION, points: '1', expires: '' }, null)).toMatch(/segment above/);
    expect(ruleOf({ name: 'x', trigger: 'open', points: '1', expires: '0' }, null)).toMatch(/days/);
  });
});

describe('ScoringRules', () => {
  it('lists the rules, adds an event rule and a condition rule, and shows the server error', async () => {
    const { onNotice } = renderPanel();
    await waitFor(() => expect(screen.getAllByTestId('scoring-rule')).toHaveLength(1));
    fireEvent.change(screen.getByTestId('scoring-name'), { target: { value: 'Clicks' } });
    fireEvent.change(screen.getByTestId('scoring-trigger'), { target: { value: 'click' } });
    fireEvent.change(screen.getByTestId('scoring-points'), { target: { value: '5' } });
    fireEvent.change(screen.getByTestId('scoring-expires'), { target: { value: '90' } });
    fireEvent.click(screen.getByTestId('scoring-save'));
    await waitFor(() => expect(screen.getAllByTestId('scoring-rule')).toHaveLength(2));
    expect(calls.set).toHaveBeenCalledWith({ name: 'Clicks', event: 'click', points: 5, expires_days: 90 });
    expect(onNotice).toHaveBeenCalledWith(expect.stringContaining('Recompute'));

    fireEvent.change(screen.getByTestId('scoring-name'), { target: { value: 'Ableton users' } });
    fireEvent.change(screen.getByTestId('scoring-trigger'), { target: { value: CONDITION } });
    expect(screen.queryByTestId('scoring-expires')).toBeNull();
    fireEvent.change(screen.getByTestId('scoring-points'), { target: { value: '999' } });
    fireEvent.click(screen.getByTestId('scoring-save'));
    expect((await screen.findByTestId('scoring-error')).textContent).toContain('points: too many');
    fireEvent.change(screen.getByTestId('scoring-points'), { target: { value: '7' } });
    fireEvent.click(screen.getByTestId('scoring-save'));
    await waitFor(() => expect(screen.getAllByTestId('scoring-rule')).toHaveLength(3));
    expect(calls.set).toHaveBeenLastCalledWith({ name: 'Ableton users', condition: SEGMENT, points: 7 });
  });

  it('edits a condition rule in the builder, deletes only after confirming, and recomputes', async () => {
    rules = [{ name: 'Ableton users', condition: SEGMENT, points: 7 }];
    const { onLoadCondition, onNotice } = renderPanel();
    fireEvent.click(await screen.findByTestId('scoring-edit'));
    expect(onLoadCondition).toHaveBeenCalledWith(SEGMENT);
    expect((screen.getByTestId('scoring-name') as HTMLInputElement).value).toBe('Ableton users');

    fireEvent.click(screen.getByTestId('scoring-delete'));
    expect(calls.del).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByTestId('scoring-confirm-delete-ok'));
    await waitFor(() => expect(screen.queryAllByTestId('scoring-rule')).toHaveLength(0));
    expect(calls.del).toHaveBeenCalledWith('Ableton users');

    fireEvent.click(screen.getByTestId('scoring-recompute'));
    await waitFor(() => expect(onNotice).toHaveBeenLastCalledWith('Scores recomputed: 1,234 of 20,000 fans changed.'));
  });
});
