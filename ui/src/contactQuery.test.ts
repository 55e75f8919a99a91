// Owns the tests of the view's query state: filter → domain filter, chips, sort toggling, parsing of boxes.
import { describe, expect, it } from 'vitest';
import {
  ariaSort,
  DEFAULT_SORT,
  EMPTY_FILTERS,
  filterChips,
  isUnfiltered,
  nextSort,
  parseList,
  parseScore,
  removeChip,
  toContactFilter,
  toggleValue,
} from './contactQuery';

describe('toContactFilter', () => {
  it('leaves out everything unset, so an empty view sends an empty filter', () => {
    expect(toContactFilter(EMPTY_FILTERS, '   ')).toEqual({});
    expect(isUnfiltered({})).toBe(true);
    expect(isUnfiltered({ include_users: true })).toBe(true);
    expect(isUnfiltered({ search: 'a' })).toBe(false);
  });

  it('maps every filter to the domain names', () => {
    const f = {
      ...EMPTY_FILTERS,
      type: ['paying' as const],
      status: ['active' as const],
      hasAccount: false,
      tag: ['vip'],
      daw: ['Ableton'],
      genre: ['House'],
      level: ['Beginner'],
      scoreMin: 10,
      scoreMax: 0,
      includeUsers: true,
    };
    expect(toContactFilter(f, 'ali')).toEqual({
      search: 'ali',
      type: ['paying'],
      status: ['active'],
      has_account: false,
      tag: ['vip'],
      daw: ['Ableton'],
      type_of_music: ['House'],
      student_level: ['Beginner'],
      score_min: 10,
      score_max: 0,
      include_users: true,
    });
  });
});

describe('filter chips', () => {
  it('lists one chip per value and removes exactly that one', () => {
    let f = toggleValue(toggleValue(EMPTY_FILTERS, 'type', 'paying'), 'type', 'lead');
    f = { ...f, tag: ['vip', 'edm'], hasAccount: true, scoreMin: 50 };
    const chips = filterChips(f);
    expect(chips.map((c) => c.label)).toEqual([
      'Type: Paying',
      'Type: Lead',
      'Tag: vip',
      'Tag: edm',
      'Has account',
      'Score ≥ 50',
    ]);
    const without = removeChip(f, 'tag:vip');
    expect(without.tag).toEqual(['edm']);
    expect(removeChip(f, 'account').hasAccount).toBeNull();
    expect(removeChip(f, 'score').scoreMin).toBeNull();
    expect(removeChip(f, 'type:lead').type).toEqual(['paying']);
  });

  it('toggling a value twice leaves the filter as it was', () => {
    const once = toggleValue(EMPTY_FILTERS, 'status', 'bounced');
    expect(once.status).toEqual(['bounced']);
    expect(toggleValue(once, 'status', 'bounced').status).toEqual([]);
  });

  it('names a tag chip with the tag text as is (rendered as text, never markup)', () => {
    const chips = filterChips({ ...EMPTY_FILTERS, tag: ['<img src=x onerror=alert(1)>'] });
    expect(chips[0]).toEqual({ id: 'tag:<img src=x onerror=alert(1)>', label: 'Tag: <img src=x onerror=alert(1)>' });
    expect(removeChip({ ...EMPTY_FILTERS, tag: ['a:b'] }, 'tag:a:b').tag).toEqual([]);
  });
});

describe('sorting', () => {
  it('a header click sorts ascending, a second click descending, another column restarts ascending', () => {
    const byScore = nextSort(DEFAULT_SORT, 'score');
    expect(byScore).toEqual({ field: 'score', desc: false });
    const desc = nextSort(byScore, 'score');
    expect(desc).toEqual({ field: 'score', desc: true });
    expect(nextSort(desc, 'score')).toEqual({ field: 'score', desc: false });
    expect(nextSort(desc, 'name')).toEqual({ field: 'name', desc: false });
  });

  it('reports aria-sort for the sorted column only', () => {
    const s = { field: 'score' as const, desc: true };
    expect(ariaSort(s, 'score')).toBe('descending');
    expect(ariaSort(s, 'email')).toBe('none');
    expect(ariaSort(s, undefined)).toBeUndefined();
  });
});

describe('parsing boxes', () => {
  it('reads whole scores and ignores anything else', () => {
    expect(parseScore(' 42 ')).toBe(42);
    expect(parseScore('-3')).toBe(-3);
    expect(parseScore('')).toBeNull();
    expect(parseScore('4.5')).toBeNull();
    expect(parseScore('1e3')).toBeNull();
  });

  it('splits comma lists into distinct trimmed values', () => {
    expect(parseList(' Ableton, FL Studio ,,Ableton ')).toEqual(['Ableton', 'FL Studio']);
  });
});
