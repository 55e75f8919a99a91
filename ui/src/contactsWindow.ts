// Owns the contacts window cache: which rows are loaded at which absolute index, and what to fetch next with keyset pagination (no React, no offsets).

/** The keyset request of `contacts_page` (minus the store id). */
export interface KeysetRequest {
  after: string | null;
  before: string | null;
  fromEnd: boolean;
  limit: number;
  /** Set on pages that land entirely outside the rows kept: only their cursors are needed. */
  cursorsOnly?: boolean;
  /** Start at this absolute index instead of a cursor (a seek; `seekable` windows only). */
  offset?: number;
}

/** The keyset answer of `contacts_page`. */
export interface KeysetPage<R> {
  rows: R[];
  next: string | null;
  prev: string | null;
  /** The number of rows of a `cursorsOnly` page (its `rows` may be left empty). */
  skipped?: number;
}

export type FetchPage<R> = (req: KeysetRequest) => Promise<KeysetPage<R>>;

export interface ContactsWindowOptions<R> {
  /** Exact number of rows in the source; sizes the index space. */
  count: number;
  fetchPage: FetchPage<R>;
  /** Page size for ordinary scrolling (first page, next/previous pages). */
  pageSize?: number;
  /** Page size used to walk towards a far target (max 1000 by contract). */
  walkPageSize?: number;
  /** Rows beyond the visible range that are prefetched on each side. */
  margin?: number;
  /** Rows kept in memory before the farthest ones are evicted. */
  maxRows?: number;
  /** Rows are only stored when within this distance of the visible range. */
  retain?: number;
  /** The source can start a page at an absolute index (`offset`): far targets are reached by one
   * seek instead of a walk of cursor pages. */
  seekable?: boolean;
  /** A target at least this far from every known cursor is sought rather than walked to. */
  seekFrom?: number;
  /** Delay between a range change and the first fetch it causes. */
  debounceMs?: number;
  /** Called once per failure streak with the rejection value. */
  onError?: (err: unknown) => void;
  /** Called (once) when a page contradicts `count`: the data changed underneath. */
  onMismatch?: () => void;
}

/** A fetch chosen by the planner, with where its rows will land. */
export interface PlannedFetch {
  req: KeysetRequest;
  /** forward: rows land at anchor, anchor+1, ...; backward: the last row lands at anchor-1. */
  direction: 'forward' | 'backward';
  anchor: number;
  /** Identity of the page, used to never run the same fetch twice at once. */
  key: string;
}

interface Boundary {
  /** Pass as `after` to get the rows starting at this index. */
  after?: string;
  /** Pass as `before` to get the rows ending just before this index. */
  before?: string;
}

type Listener = () => void;

const DEFAULTS = {
  pageSize: 200,
  walkPageSize: 1000,
  margin: 100,
  // Few enough that the rows held stay a small part of the heap (a full garbage collection marks
  // them all), many enough to scroll back over a few screens without fetching.
  maxRows: 6_000,
  retain: 2_000,
  // Two walk pages: nearer targets are reached by walking, which also leaves cursors behind.
  seekFrom: 2_000,
  debounceMs: 40,
};

const MAX_BACKOFF_MS = 30_000;

export class ContactsWindow<R> {
  readonly count: number;
  private readonly fetchPage: FetchPage<R>;
  private readonly pageSize: number;
  private readonly walkPageSize: number;
  private readonly margin: number;
  private readonly maxRows: number;
  private readonly retain: number;
  private readonly seekFrom: number;
  private readonly debounceMs: number;
  private readonly onError?: (err: unknown) => void;
  private readonly onMismatch?: () => void;

  /** Loaded rows keyed by absolute index. */
  private readonly rows = new Map<number, R>();
  /** Keyset cursors known at page edges, keyed by absolute index (kept after eviction). */
  private readonly boundaries = new Map<number, Boundary>();
  private readonly listeners = new Set<Listener>();
  private readonly inFlight = new Set<string>();
  private idleWaiters: Array<() => void> = [];

  private rangeStart = 0;
  private rangeEnd = 0;
  private hasRange = false;
  private running = false;
  private debounceTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private errorStreak = 0;
  private broken = false;
  private disposed = false;

  /** Bumped whenever loaded rows change; a cheap snapshot for React. */
  version = 0;
  /** Number of fetches issued (for diagnostics and tests). */
  requests = 0;

  constructor(opts: ContactsWindowOptions<R>) {
    this.count = Math.max(0, Math.floor(opts.count));
    this.fetchPage = opts.fetchPage;
    this.pageSize = opts.pageSize ?? DEFAULTS.pageSize;
    this.walkPageSize = Math.min(1000, opts.walkPageSize ?? DEFAULTS.walkPageSize);
    this.margin = opts.margin ?? DEFAULTS.margin;
    this.maxRows = opts.maxRows ?? DEFAULTS.maxRows;
    this.retain = Math.max(opts.retain ?? DEFAULTS.retain, this.margin + this.pageSize);
    this.seekFrom = opts.seekable === true ? (opts.seekFrom ?? DEFAULTS.seekFrom) : Infinity;
    this.debounceMs = opts.debounceMs ?? DEFAULTS.debounceMs;
    this.onError = opts.onError;
    this.onMismatch = opts.onMismatch;
  }

  // ----- reading -------------------------------------------------------

  getRow(index: number): R | undefined {
    return this.rows.get(index);
  }

  isLoaded(index: number): boolean {
    return this.rows.has(index);
  }

  /** Number of rows currently held in memory. */
  get loadedRows(): number {
    return this.rows.size;
  }

  /** True while a fetch loop is running or about to run. */
  get busy(): boolean {
    return this.running || this.debounceTimer !== null;
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getVersion = (): number => this.version;

  // ----- driving -------------------------------------------------------

  /** Tell the window which rows are on screen: [start, end). Fetches follow, debounced. */
  setVisibleRange(start: number, end: number): void {
    if (this.disposed) return;
    const s = clamp(Math.floor(start), 0, this.count);
    const e = clamp(Math.ceil(end), s, this.count);
    if (this.hasRange && s === this.rangeStart && e === this.rangeEnd) return;
    this.rangeStart = s;
    this.rangeEnd = e;
    this.hasRange = true;
    this.kick();
  }

  /** Resolves once no fetch is running or scheduled (a retry backoff does not count). */
  idle(): Promise<void> {
    if (!this.running && this.debounceTimer === null) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.debounceTimer !== null) clearTimeout(this.debounceTimer);
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.debounceTimer = null;
    this.retryTimer = null;
    this.listeners.clear();
    this.flushIdle();
  }

  // ----- planning ------------------------------------------------------

  /**
   * The next fetch needed for the current range, or null when everything wanted is loaded.
   * Pure with respect to the cache: calling it twice without new data gives the same answer,
   * which is what makes a stale walk stop as soon as the target moves.
   */
  plan(): PlannedFetch | null {
    if (this.broken || !this.hasRange || this.count === 0) return null;
    const missing = this.firstMissing();
    if (missing === null) return null;
    return this.planFor(missing);
  }

  /** First missing index: visible rows first, then the margin below, then the margin above. */
  private firstMissing(): number | null {
    const { rangeStart: vs, rangeEnd: ve, count } = this;
    for (let i = vs; i < ve; i++) if (!this.rows.has(i)) return i;
    const below = Math.min(count, ve + this.margin);
    for (let i = ve; i < below; i++) if (!this.rows.has(i)) return i;
    const above = Math.max(0, vs - this.margin);
    for (let i = vs - 1; i >= above; i--) if (!this.rows.has(i)) return i;
    return null;
  }

  /** Chooses the cheapest keyset anchor that reaches `target` (nearest known cursor wins). */
  private planFor(target: number): PlannedFetch {
    // The start of the list is always reachable forwards, the end always backwards.
    let bestDist = target;
    let best: { direction: 'forward' | 'backward'; anchor: number; cursor: string | null } = {
      direction: 'forward',
      anchor: 0,
      cursor: null,
    };
    const endDist = this.count - 1 - target;
    if (endDist < bestDist) {
      bestDist = endDist;
      best = { direction: 'backward', anchor: this.count, cursor: null };
    }
    for (const [index, b] of this.boundaries) {
      if (b.after !== undefined && index <= target) {
        const d = target - index;
        if (d < bestDist || (d === bestDist && best.direction === 'backward')) {
          bestDist = d;
          best = { direction: 'forward', anchor: index, cursor: b.after };
        }
      }
      if (b.before !== undefined && index > target) {
        const d = index - 1 - target;
        if (d < bestDist) {
          bestDist = d;
          best = { direction: 'backward', anchor: index, cursor: b.before };
        }
      }
    }
    if (bestDist >= this.seekFrom) {
      const req: KeysetRequest = { after: null, before: null, fromEnd: false, limit: this.pageSize, offset: target };
      return { req, direction: 'forward', anchor: target, key: `seek:${target}:${this.pageSize}` };
    }
    const need = bestDist + 1;
    const limit =
      need <= this.pageSize
        ? this.pageSize
        : Math.min(this.walkPageSize, need + Math.floor(this.pageSize / 2));
    const req: KeysetRequest =
      best.direction === 'forward'
        ? { after: best.cursor, before: null, fromEnd: false, limit }
        : best.cursor === null
          ? { after: null, before: null, fromEnd: true, limit }
          : { after: null, before: best.cursor, fromEnd: false, limit };
    // A walk page that lands wholly outside the rows kept needs only its cursors: far less to send
    // and parse while a dragged scrollbar crosses the list.
    const [from, to] =
      best.direction === 'forward' ? [best.anchor, best.anchor + limit] : [best.anchor - limit, best.anchor];
    if (to <= this.rangeStart - this.retain || from >= this.rangeEnd + this.retain) req.cursorsOnly = true;
    const key = `${best.direction}:${best.anchor}:${best.cursor ?? '-'}:${limit}:${req.cursorsOnly === true}`;
    return { req, direction: best.direction, anchor: best.anchor, key };
  }

  // ----- fetching ------------------------------------------------------

  private kick(): void {
    if (this.disposed || this.running || this.debounceTimer !== null || this.retryTimer !== null) {
      return;
    }
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.run();
    }, this.debounceMs);
  }

  private async run(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      while (!this.disposed) {
        const plan = this.plan();
        if (plan === null) break;
        if (this.inFlight.has(plan.key)) break; // never the same page twice at once
        this.inFlight.add(plan.key);
        this.requests++;
        let page: KeysetPage<R>;
        try {
          page = await this.fetchPage(plan.req);
        } catch (err) {
          this.inFlight.delete(plan.key);
          if (!this.disposed) this.failed(err);
          break;
        }
        this.inFlight.delete(plan.key);
        if (this.disposed) break;
        this.errorStreak = 0;
        const result = this.integrate(plan, page);
        if (result === 'mismatch') {
          this.broken = true;
          this.onMismatch?.();
          break;
        }
        if (result === 'stored') this.emit();
      }
    } finally {
      this.running = false;
      if (this.debounceTimer === null) this.flushIdle();
    }
  }

  private failed(err: unknown): void {
    this.errorStreak++;
    if (this.errorStreak === 1) this.onError?.(err);
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.errorStreak - 1));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.kick();
    }, delay);
  }

  /** Places a page at its absolute indices. */
  private integrate(
    plan: PlannedFetch,
    page: KeysetPage<R>,
  ): 'stored' | 'walked' | 'mismatch' {
    const n = page.skipped ?? page.rows.length;
    const limit = plan.req.limit;
    const start = plan.direction === 'forward' ? plan.anchor : plan.anchor - n;
    const end = start + n;
    if (start < 0 || end > this.count) return 'mismatch';
    if (plan.direction === 'forward') {
      // Fewer rows than asked, or "nothing after", must mean we reached the end.
      if ((n < limit || page.next === null) && end !== this.count) return 'mismatch';
    } else if ((n < limit || page.prev === null) && start !== 0) {
      return 'mismatch';
    }

    let progressed = false;
    if (start > 0 && page.prev !== null) progressed = this.setBoundary(start, 'before', page.prev) || progressed;
    if (end < this.count && page.next !== null) progressed = this.setBoundary(end, 'after', page.next) || progressed;

    // Only keep rows near what the user looks at; walk pages just leave their cursors behind.
    const lo = this.rangeStart - this.retain;
    const hi = this.rangeEnd + this.retain;
    const from = Math.max(start, lo);
    const to = Math.min(end, hi);
    let stored = false;
    // A page sent without its rows stores none (the visible range may have moved back meanwhile).
    for (let i = from; i < to && page.rows.length === n; i++) {
      if (!this.rows.has(i)) stored = true;
      this.rows.set(i, page.rows[i - start]);
    }
    if (stored) this.evict();
    if (stored) return 'stored';
    return progressed ? 'walked' : 'mismatch';
  }

  private setBoundary(index: number, side: 'after' | 'before', cursor: string): boolean {
    const b = this.boundaries.get(index);
    if (b === undefined) {
      this.boundaries.set(index, { [side]: cursor });
      return true;
    }
    const isNew = b[side] === undefined;
    b[side] = cursor;
    return isNew;
  }

  /** Drops the rows farthest from the visible range once the cache is over budget. */
  private evict(): void {
    if (this.rows.size <= this.maxRows) return;
    const center = (this.rangeStart + this.rangeEnd) / 2;
    const keep = Math.max(this.maxRows / 4, this.rangeEnd - this.rangeStart + this.margin * 2);
    for (const index of this.rows.keys()) {
      if (Math.abs(index - center) > keep) this.rows.delete(index);
    }
  }

  private emit(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  private flushIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
