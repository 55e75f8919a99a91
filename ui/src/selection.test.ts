// Owns the tests of row selection: click, ctrl-click, shift-click ranges over loaded rows.
import { describe, expect, it } from 'vitest';
import { clickRow, fanIds, NO_SELECTION, toggleRow } from './selection';

/** Rows 0..19 are loaded with id = index + 100, except 5 and 6 which are not loaded. */
const idAt = (i: number) => (i >= 0 && i < 20 && i !== 5 && i !== 6 ? i + 100 : undefined);
const plain = { shift: false, toggle: false };
const ctrl = { shift: false, toggle: true };
const shift = { shift: true, toggle: false };

describe('selection', () => {
  it('a click selects only that row and sets the anchor', () => {
    const s = clickRow(clickRow(NO_SELECTION, 2, idAt, plain), 4, idAt, plain);
    expect([...s.ids]).toEqual([104]);
    expect(s.anchor).toBe(4);
  });

  it('ctrl-click toggles a row without losing the others', () => {
    let s = clickRow(NO_SELECTION, 2, idAt, plain);
    s = clickRow(s, 9, idAt, ctrl);
    expect([...s.ids].sort()).toEqual([102, 109]);
    s = clickRow(s, 2, idAt, ctrl);
    expect([...s.ids]).toEqual([109]);
  });

  it('shift-click selects the range from the anchor in either direction, skipping rows not loaded', () => {
    let s = clickRow(NO_SELECTION, 8, idAt, plain);
    s = clickRow(s, 3, idAt, shift);
    expect([...s.ids].sort()).toEqual([103, 104, 107, 108]);
    expect(s.anchor).toBe(8);
    s = clickRow(s, 10, idAt, shift);
    expect([...s.ids].sort(), 'a new shift-click replaces the previous range').toEqual([108, 109, 110]);
  });

  it('ctrl+shift-click adds a range to the selection', () => {
    let s = clickRow(NO_SELECTION, 0, idAt, plain);
    s = clickRow(s, 15, idAt, ctrl);
    s = clickRow(s, 17, idAt, { shift: true, toggle: true });
    expect([...s.ids].sort()).toEqual([100, 115, 116, 117]);
  });

  it('clicking a row not loaded yet changes nothing', () => {
    const s = clickRow(NO_SELECTION, 1, idAt, plain);
    expect(clickRow(s, 5, idAt, plain)).toBe(s);
  });

  it('space toggles the active row; only fans (positive ids) can be tagged', () => {
    let s = toggleRow(NO_SELECTION, 3, 7);
    s = toggleRow(s, 4, -2);
    expect(fanIds(s)).toEqual([7]);
    expect(toggleRow(s, 3, 7).ids.has(7)).toBe(false);
  });
});
