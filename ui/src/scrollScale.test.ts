// Owns the tests of the real-to-virtual scroll mapping.
import { describe, expect, it } from 'vitest';
import { makeScrollScale } from './scrollScale';

describe('makeScrollScale', () => {
  it('is the identity for lists that fit', () => {
    const s = makeScrollScale(100_000 * 36, 700);
    expect(s.realHeight).toBe(3_600_000);
    expect(s.toVirtual(12_345)).toBe(12_345);
    expect(s.toReal(12_345)).toBe(12_345);
  });

  it('compresses a million rows and still reaches both ends', () => {
    const vh = 1_000_000 * 36 + 36;
    const s = makeScrollScale(vh, 700);
    expect(s.realHeight).toBe(15_000_000);
    expect(s.toVirtual(0)).toBe(0);
    // The last real scroll position shows the last virtual viewport.
    expect(s.toVirtual(15_000_000 - 700)).toBeCloseTo(vh - 700, 3);
    expect(s.toReal(s.toVirtual(1_234_567))).toBeCloseTo(1_234_567, 3);
    expect(s.toReal(vh)).toBe(15_000_000 - 700);
  });
});
