// Owns an in-memory keyset data source that follows the `contacts_page` contract, for tests.
import type { ContactRow } from '../api';
import type { KeysetPage, KeysetRequest } from '../contactsWindow';

export function makeContact(i: number): ContactRow {
  const n = String(i).padStart(7, '0');
  return {
    id: i + 1,
    cursor: `c:fan${n}@example.com`,
    email: `fan${n}@example.com`,
    name: `Fan ${i}`,
    type: i % 3 === 0 ? 'lead' : i % 3 === 1 ? 'paying' : 'subscription',
    status: 'active',
    tags: i % 2 === 0 ? ['guitar', 'beginner'] : [],
    score: i % 100,
    daw: i % 4 === 0 ? 'Ableton Live' : '',
    type_of_music: 'Jazz',
    student_level: 'Beginner',
    last_open_date: i % 5 === 0 ? null : Date.UTC(2024, 0, 1 + (i % 300)),
    total_spent: i % 50,
    has_account: i % 2 === 0,
  };
}

/** Cursor encoding is opaque to the UI; here it is "c:" + email (display order is by email). */
export class FakeSource {
  readonly log: KeysetRequest[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** Keys of requests currently running, to detect a page fetched twice at once. */
  private running = new Set<string>();
  duplicateConcurrent = 0;
  /** Optional hook run before each request resolves. */
  onRequest?: (req: KeysetRequest, n: number) => void;
  failNext = 0;

  constructor(private readonly data: ContactRow[]) {}

  static ofSize(n: number): FakeSource {
    const data: ContactRow[] = new Array(n);
    for (let i = 0; i < n; i++) data[i] = makeContact(i);
    return new FakeSource(data);
  }

  get size(): number {
    return this.data.length;
  }

  row(i: number): ContactRow {
    return this.data[i];
  }

  /** Index of the first row whose cursor is > c (rows are sorted by cursor). */
  private upperBound(c: string): number {
    let lo = 0;
    let hi = this.data.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid].cursor <= c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first row whose cursor is >= c. */
  private lowerBound(c: string): number {
    let lo = 0;
    let hi = this.data.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid].cursor < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  page(req: KeysetRequest): KeysetPage<ContactRow> {
    if (req.limit < 1 || req.limit > 1000) throw { code: 'invalid_limit', message: 'bad limit' };
    let start: number;
    let end: number;
    if (req.offset !== undefined) {
      start = Math.min(req.offset, this.data.length);
      end = Math.min(this.data.length, start + req.limit);
    } else if (req.after !== null) {
      start = this.upperBound(req.after);
      end = Math.min(this.data.length, start + req.limit);
    } else if (req.before !== null) {
      end = this.lowerBound(req.before);
      start = Math.max(0, end - req.limit);
    } else if (req.fromEnd) {
      end = this.data.length;
      start = Math.max(0, end - req.limit);
    } else {
      start = 0;
      end = Math.min(this.data.length, req.limit);
    }
    const rows = this.data.slice(start, end);
    return {
      rows,
      next: end < this.data.length && rows.length > 0 ? rows[rows.length - 1].cursor : null,
      prev: start > 0 && rows.length > 0 ? rows[0].cursor : null,
    };
  }

  fetch = async (req: KeysetRequest): Promise<KeysetPage<ContactRow>> => {
    const key = JSON.stringify(req);
    if (this.running.has(key)) this.duplicateConcurrent++;
    this.running.add(key);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.log.push(req);
    try {
      await Promise.resolve();
      this.onRequest?.(req, this.log.length);
      if (this.failNext > 0) {
        this.failNext--;
        throw { code: 'db_busy', message: 'database is busy' };
      }
      const page = this.page(req);
      return req.cursorsOnly === true ? { ...page, rows: [], skipped: page.rows.length } : page;
    } finally {
      this.inFlight--;
      this.running.delete(key);
    }
  };
}
