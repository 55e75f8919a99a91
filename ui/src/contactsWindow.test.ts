// Owns the unit tests of the keyset window cache against an in-memory keyset source.
import { describe, expect, it, vi } from 'vitest';
import type { ContactRow } from './api';
import { ContactsWindow, type ContactsWindowOptions } from './contactsWindow';
import { FakeSource } from './testing/fakeSource';

const VISIBLE = 25;

function setup(n: number, opts: Partial<ContactsWindowOptions<ContactRow>> = {}) {
  const src = FakeSource.ofSize(n);
  const win = new ContactsWindow<ContactRow>({
    count: n,
    fetchPage: src.fetch,
    debounceMs: 0,
    ...opts,
  });
  return { src, win };
}

async function show(win: ContactsWindow<ContactRow>, start: number, len = VISIBLE) {
  win.setVisibleRange(start, start + len);
  await win.idle();
}

/** Every index in [from, to) is loaded with exactly the source row at that index. */
function expectExact(win: ContactsWindow<ContactRow>, src: FakeSource, from: number, to: number) {
  for (let i = from; i < to; i++) {
    const row = win.getRow(i);
    if (row === undefined) throw new Error(`row ${i} missing`);
    if (row.email !== src.row(i).email) throw new Error(`row ${i} is ${row.email}`);
  }
}

describe('ContactsWindow', () => {
  it('loads the first page (limit 200) at the top', async () => {
    const { src, win } = setup(20_000);
    await show(win, 0);
    expect(src.log[0]).toEqual({ after: null, before: null, fromEnd: false, limit: 200 });
    expect(src.log).toHaveLength(1);
    expectExact(win, src, 0, 200);
    expect(win.isLoaded(200)).toBe(false);
  });

  it('scrolling forward yields contiguous rows with no gaps or duplicates', async () => {
    const { src, win } = setup(100_000);
    for (let start = 0; start <= 5_000; start += 7) await show(win, start);
    expectExact(win, src, 0, 5_000 + VISIBLE);
    // Every follow-up page starts exactly after the previous one: no duplicates, no holes.
    const seen = new Set<string>();
    let covered = 0;
    for (const req of src.log) {
      const key = JSON.stringify(req);
      expect(seen.has(key)).toBe(false);
      seen.add(key);
      expect(req.before).toBeNull();
      expect(req.fromEnd).toBe(false);
      const page = src.page(req);
      expect(page.rows[0].email).toBe(src.row(covered).email);
      covered += page.rows.length;
    }
    expect(covered).toBeGreaterThanOrEqual(5_000 + VISIBLE);
    expect(src.maxInFlight).toBe(1);
    expect(src.duplicateConcurrent).toBe(0);
  });

  it('scrolls smoothly to the end of 100,000 rows with bounded memory', async () => {
    const { src, win } = setup(100_000, { maxRows: 10_000 });
    for (let start = 0; start + VISIBLE <= 100_000; start += 150) await show(win, start);
    await show(win, 100_000 - VISIBLE);
    expectExact(win, src, 100_000 - 2_000, 100_000);
    expect(win.loadedRows).toBeLessThanOrEqual(10_000 + 1_000);
    // Forward pages only, each requested once.
    expect(new Set(src.log.map((r) => JSON.stringify(r))).size).toBe(src.log.length);
    expect(src.log.length).toBeLessThanOrEqual(100_000 / 200 + 1);
  });

  it('jumping to the end loads the tail at the right indices', async () => {
    const { src, win } = setup(100_000);
    await show(win, 0);
    src.log.length = 0;
    await show(win, 100_000 - VISIBLE);
    expect(src.log[0]).toEqual({ after: null, before: null, fromEnd: true, limit: 200 });
    expectExact(win, src, 100_000 - 200, 100_000);
    expect(win.isLoaded(100_000 - 201)).toBe(false);
    expect(src.log).toHaveLength(1);
  });

  it('fills backwards from the tail with `before`', async () => {
    const { src, win } = setup(100_000);
    await show(win, 100_000 - VISIBLE);
    for (let start = 100_000 - VISIBLE; start >= 100_000 - 3_000; start -= 9) await show(win, start);
    expectExact(win, src, 100_000 - 3_000, 100_000);
    const [first, ...rest] = src.log;
    expect(first.fromEnd).toBe(true);
    for (const req of rest) {
      expect(req.before).not.toBeNull();
      expect(req.after).toBeNull();
    }
    // Each backward page ends exactly where the previous one began.
    let start = 100_000 - src.page(first).rows.length;
    for (const req of rest) {
      const page = src.page(req);
      expect(page.rows[page.rows.length - 1].email).toBe(src.row(start - 1).email);
      start -= page.rows.length;
    }
    expect(new Set(src.log.map((r) => JSON.stringify(r))).size).toBe(src.log.length);
  });

  it('a seekable window reaches the middle with one seek, not a walk', async () => {
    const { src, win } = setup(100_000, { seekable: true });
    await show(win, 0);
    src.log.length = 0;
    await show(win, 30_000);
    expectExact(win, src, 30_000 - 100, 30_000 + VISIBLE + 100);
    expect(src.log[0]).toEqual({ after: null, before: null, fromEnd: false, limit: 200, offset: 30_000 });
    expect(src.log.filter((r) => r.offset !== undefined)).toHaveLength(1);
    expect(src.log.length).toBeLessThanOrEqual(3);
    expect(src.log.every((r) => r.limit <= 200)).toBe(true);
    // Near targets are still reached with cursors; scrolling on from there is seamless.
    for (let start = 30_000; start <= 32_500; start += 13) await show(win, start);
    expectExact(win, src, 30_000, 32_500 + VISIBLE);
    expect(src.log.filter((r) => r.offset !== undefined)).toHaveLength(1);
  });

  it('jumping to the middle walks forward with `after` in pages of 1000', async () => {
    const { src, win } = setup(100_000);
    await show(win, 0);
    src.log.length = 0;
    await show(win, 30_000);
    expectExact(win, src, 30_000 - 100, 30_000 + VISIBLE + 100);
    for (const req of src.log) {
      expect(req.after).not.toBeNull();
      expect(req.fromEnd).toBe(false);
    }
    expect(src.log.slice(0, -2).every((r) => r.limit === 1000)).toBe(true);
    expect(src.log.length).toBeLessThanOrEqual(32);
    // Walk pages far from the target are not kept in memory, nor even sent: cursors only.
    const cursorsOnly = src.log.filter((r) => r.cursorsOnly === true).length;
    expect(cursorsOnly).toBeGreaterThan(20);
    expect(cursorsOnly).toBeGreaterThanOrEqual(src.log.length - 5);
    expect(win.isLoaded(10_000)).toBe(false);
    expect(win.loadedRows).toBeLessThan(6_000);
    // Scrolling on from the middle continues seamlessly.
    for (let start = 30_000; start <= 31_000; start += 13) await show(win, start);
    expectExact(win, src, 30_000, 31_000 + VISIBLE);
  });

  it('walks backwards from the tail when the target is nearer the end', async () => {
    const { src, win } = setup(100_000);
    await show(win, 0);
    src.log.length = 0;
    await show(win, 95_000);
    expect(src.log[0].fromEnd).toBe(true);
    expect(src.log.slice(1).every((r) => r.before !== null)).toBe(true);
    expect(src.log.length).toBeLessThanOrEqual(8);
    expectExact(win, src, 95_000 - 100, 95_000 + VISIBLE + 100);
  });

  it('cancels a stale walk when the target changes', async () => {
    const { src, win } = setup(100_000);
    await show(win, 0);
    src.log.length = 0;
    src.onRequest = (_req, n) => {
      if (n === 3) win.setVisibleRange(50, 50 + VISIBLE); // user scrolls back to the top
    };
    win.setVisibleRange(40_000, 40_000 + VISIBLE);
    await win.idle();
    // Three walk steps were issued, then nothing more was needed.
    expect(src.log).toHaveLength(3);
    expectExact(win, src, 0, 200);
    expect(win.isLoaded(40_000)).toBe(false);
    // Going back to the middle resumes from where the walk stopped (cursor kept).
    src.onRequest = undefined;
    src.log.length = 0;
    await show(win, 40_000);
    expect(src.log.length).toBeLessThanOrEqual(40 - 3 + 2);
    expectExact(win, src, 40_000, 40_000 + VISIBLE);
  });

  it('debounces: rapid range changes cause fetches only for the latest target', async () => {
    const src = FakeSource.ofSize(100_000);
    const win = new ContactsWindow<ContactRow>({ count: 100_000, fetchPage: src.fetch, debounceMs: 20 });
    for (let s = 0; s < 90_000; s += 3_000) win.setVisibleRange(s, s + VISIBLE);
    win.setVisibleRange(100_000 - VISIBLE, 100_000);
    await win.idle();
    expect(src.log).toHaveLength(1);
    expect(src.log[0].fromEnd).toBe(true);
    win.dispose();
  });

  it('re-fetches evicted rows from the kept cursors', async () => {
    const { src, win } = setup(100_000, { maxRows: 4_000 });
    for (let start = 0; start <= 12_000; start += 100) await show(win, start);
    expect(win.isLoaded(0)).toBe(false);
    src.log.length = 0;
    await show(win, 5_000);
    expectExact(win, src, 5_000, 5_000 + VISIBLE);
    expect(src.log.length).toBeLessThanOrEqual(2);
    expect(src.log[0].limit).toBe(200);
  });

  it('reports errors once and retries with backoff', async () => {
    vi.useFakeTimers();
    try {
      const onError = vi.fn();
      const src = FakeSource.ofSize(1_000);
      const win = new ContactsWindow<ContactRow>({ count: 1_000, fetchPage: src.fetch, debounceMs: 0, onError });
      src.failNext = 2;
      win.setVisibleRange(0, VISIBLE);
      await vi.advanceTimersByTimeAsync(0);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(onError.mock.calls[0][0]).toEqual({ code: 'db_busy', message: 'database is busy' });
      expect(win.isLoaded(0)).toBe(false);
      await vi.advanceTimersByTimeAsync(1_005); // retry 1 fails
      expect(src.log).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(2_010); // retry 2 succeeds (0 ms timers run after 1 ms)
      expect(src.log).toHaveLength(3);
      expect(onError).toHaveBeenCalledTimes(1);
      expect(win.isLoaded(0)).toBe(true);
      win.dispose();
    } finally {
      vi.useRealTimers();
    }
  });

  it('signals a mismatch when the source has fewer rows than the count said', async () => {
    const onMismatch = vi.fn();
    const src = FakeSource.ofSize(150);
    const win = new ContactsWindow<ContactRow>({ count: 300, fetchPage: src.fetch, debounceMs: 0, onMismatch });
    await show(win, 0);
    expect(onMismatch).toHaveBeenCalledTimes(1);
    await show(win, 10);
    expect(src.log).toHaveLength(1);
  });

  it('handles a source smaller than one page and an empty one', async () => {
    const { src, win } = setup(37);
    await show(win, 0, 30);
    expectExact(win, src, 0, 37);
    await show(win, 12, 30);
    expect(src.log).toHaveLength(1);
    const empty = setup(0);
    await show(empty.win, 0);
    expect(empty.src.log).toHaveLength(0);
  });

  it('notifies subscribers when rows arrive and stops after dispose', async () => {
    const { win } = setup(1_000);
    const listener = vi.fn();
    const unsubscribe = win.subscribe(listener);
    await show(win, 0);
    expect(listener).toHaveBeenCalled();
    expect(win.getVersion()).toBeGreaterThan(0);
    unsubscribe();
    win.dispose();
    win.setVisibleRange(500, 520);
    await win.idle();
    expect(win.isLoaded(500)).toBe(false);
  });
});
