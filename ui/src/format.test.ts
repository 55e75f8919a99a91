// Owns the tests of display formatting.
import { describe, expect, it } from 'vitest';
import { formatDate, formatFanCount, orDash, typeLabel } from './format';

describe('format', () => {
  it('groups fan counts with commas', () => {
    expect(formatFanCount(20_000)).toBe('20,000 fans');
    expect(formatFanCount(1_000_000)).toBe('1,000,000 fans');
    expect(formatFanCount(1)).toBe('1 fan');
    expect(formatFanCount(0)).toBe('0 fans');
  });

  it('shows a dash for missing values', () => {
    expect(formatDate(null)).toBe('—');
    expect(orDash('')).toBe('—');
    expect(orDash('Ableton Live')).toBe('Ableton Live');
    expect(formatDate(Date.UTC(2024, 5, 15, 12))).toMatch(/Jun 1[45], 2024/);
  });

  it('labels contact types', () => {
    expect(typeLabel('lead')).toBe('Lead');
    expect(typeLabel('paying')).toBe('Paying');
    expect(typeLabel('subscription')).toBe('Subscriber');
  });
});
