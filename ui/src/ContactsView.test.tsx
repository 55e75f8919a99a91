// Owns the contacts view tests: row elements kept while scrolling, debounced search, header sorting, filters, selection and bulk tagging, tag delete with undo.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContactFilter, ContactsQuery, TagTarget } from './api';
import { FakeSource } from './testing/fakeSource';

const state = { source: FakeSource.ofSize(500), tags: [{ name: 'beginner', count: 250 }] };
const calls = {
  count: vi.fn(),
  page: vi.fn(),
  add: vi.fn(),
  del: vi.fn(),
  undo: vi.fn(),
};

/** The fake store answers searches for "fan00001" with its 10 rows fan0000100..109 (by prefix). */
function matching(filter: ContactFilter | undefined): number {
  if (filter?.search === undefined) return filter?.type?.length ? 100 : state.source.size;
  return state.source.size > 0 ? 10 : 0;
}

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    contactsCount: async (_s: string, filter?: ContactFilter) => {
      calls.count(filter);
      return matching(filter);
    },
    contactsPage: async (_s: string, req: Parameters<FakeSource['page']>[0], query?: ContactsQuery) => {
      calls.page(query);
      const page = await state.source.fetch({ ...req, limit: Math.min(req.limit, matching(query?.filter)) });
      return query?.filter.search === undefined ? page : { ...page, next: null };
    },
    tagsList: async () => state.tags.map((t) => ({ ...t })),
    tagsAdd: async (_s: string, tag: string, target: TagTarget) => {
      calls.add(tag, target);
      return { tag, changed: 'ids' in target ? target.ids.length : 100, not_found: [] };
    },
    tagsDelete: async (_s: string, tag: string) => {
      calls.del(tag);
      state.tags = [];
      return { deletion_id: 7, tag, contacts: 250 };
    },
    tagsUndoDelete: async (_s: string, id: number | null) => {
      calls.undo(id);
      state.tags = [{ name: 'beginner', count: 250 }];
      return { tag: 'beginner', changed: 250, not_found: [] };
    },
  };
});

const { ContactsView, SEARCH_DEBOUNCE_MS } = await import('./ContactsView');

beforeAll(() => {
  for (const prop of ['clientHeight', 'clientWidth'] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, {
      configurable: true,
      get(this: HTMLElement) {
        if (this.dataset.testid !== 'contacts-scroll') return 0;
        return prop === 'clientHeight' ? 540 : 1200;
      },
    });
  }
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});
beforeEach(() => {
  state.source = FakeSource.ofSize(500);
  state.tags = [{ name: 'beginner', count: 250 }];
  for (const c of Object.values(calls)) c.mockReset();
  localStorage.clear();
});
afterEach(cleanup);

function renderView() {
  const onError = vi.fn();
  render(<ContactsView storeId="s1" onError={onError} />);
  return { onError };
}

describe('ContactsView', () => {
  it('a jump across the list updates the row elements in place instead of replacing them', async () => {
    renderView();
    await screen.findByText('fan0000000@example.com');
    const scroller = screen.getByTestId('contacts-scroll');
    // jsdom does not scroll: keep the offset the virtualizer reads on a scroll event.
    let offset = 0;
    Object.defineProperty(scroller, 'scrollTop', { configurable: true, get: () => offset, set: (v: number) => (offset = v) });
    const jump = async (index: number) => {
      scroller.scrollTop = 36 * index;
      fireEvent.scroll(scroller);
      await screen.findByText(`fan${String(index + 5).padStart(7, '0')}@example.com`);
    };
    const rows = () => Array.from(document.querySelectorAll('.rows-layer > [role="row"]'));
    const cells = () => rows().flatMap((r) => Array.from(r.children));

    await jump(240);
    const [rowsBefore, cellsBefore] = [new Set(rows()), new Set(cells())];
    await jump(470);
    expect(rows().map((r) => r.getAttribute('data-index'))).not.toContain('240');
    // At most one slot differs between two full screens: every other row and cell is updated in place.
    expect(rows().filter((r) => !rowsBefore.has(r)).length).toBeLessThanOrEqual(1);
    expect(cells().filter((c) => !cellsBefore.has(c)).length).toBeLessThanOrEqual(cells().length / rows().length);
  });

  it('searches once the typing settles and shows the exact number of matches', async () => {
    renderView();
    await waitFor(() => expect(screen.getByTestId('match-count').getAttribute('data-count')).toBe('500'));
    const box = screen.getByTestId('search');
    fireEvent.change(box, { target: { value: 'f' } });
    fireEvent.change(box, { target: { value: 'fa' } });
    fireEvent.change(box, { target: { value: 'fan00001' } });
    await waitFor(() => expect(screen.getByTestId('match-count').getAttribute('data-count')).toBe('10'));
    const searched = calls.count.mock.calls.map(([f]) => (f as ContactFilter | undefined)?.search).filter(Boolean);
    expect(searched, `one count for the settled text after ${SEARCH_DEBOUNCE_MS} ms, none per keystroke`).toEqual(['fan00001']);
    expect(screen.getByTestId('match-count').textContent).toContain('10 matches');
  });

  it('sorts by clicking a header: ascending, then descending, announced with aria-sort', async () => {
    renderView();
    await screen.findAllByTestId('contact-row');
    const header = () => document.querySelector('[role=columnheader][data-column=score]') as HTMLElement;
    expect(header().getAttribute('aria-sort')).toBe('none');
    fireEvent.click(screen.getByRole('button', { name: /Score/ }));
    expect(header().getAttribute('aria-sort')).toBe('ascending');
    await waitFor(() => expect(calls.page).toHaveBeenLastCalledWith({ sort: { field: 'score', desc: false }, filter: {} }));
    fireEvent.click(screen.getByRole('button', { name: /Score/ }));
    expect(header().getAttribute('aria-sort')).toBe('descending');
    await waitFor(() => expect(calls.page).toHaveBeenLastCalledWith({ sort: { field: 'score', desc: true }, filter: {} }));
    expect(document.querySelector('[role=columnheader][data-column=tags] button'), 'tags are not sortable').toBeNull();
  });

  it('filters with chips and removes a filter from its chip', async () => {
    renderView();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByTestId('filters-button'));
    fireEvent.click(screen.getByTestId('filter-type-paying'));
    fireEvent.click(screen.getByTestId('filter-has-account'));
    await waitFor(() =>
      expect(calls.count).toHaveBeenLastCalledWith({ type: ['paying'], has_account: true }),
    );
    const chips = screen.getAllByTestId('filter-chip').map((c) => c.textContent);
    expect(chips).toEqual(['Type: Paying×', 'Has account×']);
    fireEvent.click(screen.getByLabelText('Remove filter Has account'));
    await waitFor(() => expect(calls.count).toHaveBeenLastCalledWith({ type: ['paying'] }));
  });

  it('hides a column from the column menu', async () => {
    renderView();
    await screen.findAllByTestId('contact-row');
    expect(document.querySelector('[data-column=daw]')).not.toBeNull();
    fireEvent.click(screen.getByTestId('columns-button'));
    fireEvent.click(screen.getByTestId('columns-menu').querySelector('[data-column=daw]') as HTMLElement);
    expect(document.querySelector('[role=columnheader][data-column=daw]')).toBeNull();
    expect(JSON.parse(localStorage.getItem('fanbase.columns') ?? '{}').daw).toBe(false);
  });

  it('selects with click and shift-click, then tags exactly the selected fans', async () => {
    renderView();
    const rows = await screen.findAllByTestId('contact-row');
    fireEvent.mouseDown(rows[1]);
    fireEvent.mouseDown(rows[4], { shiftKey: true });
    await waitFor(() => expect(screen.getByTestId('selection-bar').getAttribute('data-count')).toBe('4'));
    fireEvent.mouseDown(rows[2], { ctrlKey: true });
    expect(screen.getByTestId('selection-bar').getAttribute('data-count')).toBe('3');
    fireEvent.click(screen.getByTestId('bulk-tag'));
    fireEvent.change(screen.getByTestId('bulk-tag-input'), { target: { value: 'vip' } });
    expect(screen.getByTestId('bulk-summary').textContent).toBe('Add “vip” to the 3 fans selected?');
    await act(async () => fireEvent.click(screen.getByTestId('bulk-confirm')));
    // makeContact(i) has id i + 1: rows 1, 3 and 4.
    expect(calls.add).toHaveBeenCalledWith('vip', { ids: [2, 4, 5] });
    expect((await screen.findByTestId('toast')).textContent).toContain('Added “vip” to 3 fans.');
  });

  it('tags every fan the search and filter match, confirming the exact count without users lacking a fan record', async () => {
    renderView();
    await screen.findAllByTestId('contact-row');
    fireEvent.click(screen.getByTestId('include-users'));
    fireEvent.click(screen.getByTestId('filters-button'));
    fireEvent.click(screen.getByTestId('filter-type-lead'));
    await waitFor(() => expect(screen.getByTestId('match-count').getAttribute('data-count')).toBe('100'));
    fireEvent.click(screen.getByTestId('bulk-tag'));
    fireEvent.change(screen.getByTestId('bulk-tag-input'), { target: { value: 'edm' } });
    await waitFor(() => expect(screen.getByTestId('bulk-summary').getAttribute('data-count')).toBe('100'));
    expect(calls.count).toHaveBeenLastCalledWith({ type: ['lead'] });
    expect(screen.getByTestId('bulk-confirm').textContent).toBe('Add to 100 fans');
    await act(async () => fireEvent.click(screen.getByTestId('bulk-confirm')));
    expect(calls.add).toHaveBeenCalledWith('edm', { matching: { type: ['lead'] } });
  });

  it('Enter on the highlighted row opens the drawer; Escape closes it', async () => {
    renderView();
    const rows = await screen.findAllByTestId('contact-row');
    fireEvent.mouseDown(rows[2]);
    fireEvent.keyDown(screen.getByTestId('contacts-scroll'), { key: 'Enter' });
    const drawer = await screen.findByTestId('contact-drawer');
    expect(drawer.getAttribute('data-email')).toBe('fan0000002@example.com');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('contact-drawer')).toBeNull();
  });

  it('a sync reloads counts and rows but keeps the search, the selection and the open drawer', async () => {
    const onError = vi.fn();
    const { rerender } = render(<ContactsView storeId="s1" onError={onError} dataVersion={0} />);
    fireEvent.change(screen.getByTestId('search'), { target: { value: 'fan00001' } });
    await waitFor(() => expect(screen.getByTestId('match-count').getAttribute('data-count')).toBe('10'));
    const rows = await screen.findAllByTestId('contact-row');
    fireEvent.mouseDown(rows[1]);
    fireEvent.mouseDown(rows[2], { shiftKey: true });
    expect(screen.getByTestId('selection-bar').getAttribute('data-count')).toBe('2');
    fireEvent.keyDown(screen.getByTestId('contacts-scroll'), { key: 'Enter' });
    const email = (await screen.findByTestId('contact-drawer')).getAttribute('data-email');
    const counted = calls.count.mock.calls.length;
    const paged = calls.page.mock.calls.length;

    rerender(<ContactsView storeId="s1" onError={onError} dataVersion={1} />);
    await waitFor(() => expect(calls.count.mock.calls.length).toBeGreaterThan(counted));
    expect(calls.count).toHaveBeenLastCalledWith({ search: 'fan00001' });
    await waitFor(() => expect(calls.page.mock.calls.length).toBeGreaterThan(paged));
    expect((screen.getByTestId('search') as HTMLInputElement).value).toBe('fan00001');
    expect(screen.getByTestId('contact-drawer').getAttribute('data-email')).toBe(email);
    await waitFor(() => expect(screen.getByTestId('match-count').getAttribute('data-count')).toBe('10'));
    expect(screen.getByTestId('selection-bar').getAttribute('data-count')).toBe('2');
  });

  it('deletes a tag after confirmation and offers undo', async () => {
    renderView();
    const item = await screen.findByTestId('tag-item');
    expect(item.getAttribute('data-count')).toBe('250');
    fireEvent.click(screen.getByTestId('tag-menu'));
    fireEvent.click(screen.getByTestId('tag-delete'));
    await act(async () => fireEvent.click(screen.getByTestId('confirm')));
    expect(calls.del).toHaveBeenCalledWith('beginner');
    await waitFor(() => expect(screen.queryByTestId('tag-item')).toBeNull());
    expect(screen.getByTestId('toast').textContent).toContain('Deleted “beginner” from 250 fans.');
    await act(async () => fireEvent.click(screen.getByTestId('toast-action')));
    expect(calls.undo).toHaveBeenCalledWith(7);
    await waitFor(() => expect(screen.getByTestId('tag-item').getAttribute('data-count')).toBe('250'));
  });

  it('shows only the fans of an opened segment, with a chip that removes it', async () => {
    const onClearSegment = vi.fn();
    render(<ContactsView storeId="s1" onError={vi.fn()} segment="VIP fans" onClearSegment={onClearSegment} />);
    await waitFor(() => expect(calls.count).toHaveBeenCalledWith({ segment: 'VIP fans' }));
    await waitFor(() => expect(calls.page).toHaveBeenCalledWith({ sort: { field: 'email', desc: false }, filter: { segment: 'VIP fans' } }));
    const chip = screen.getByTestId('segment-chip');
    expect(chip.textContent).toContain('Segment: VIP fans');
    fireEvent.click(screen.getByRole('button', { name: 'Remove segment filter VIP fans' }));
    expect(onClearSegment).toHaveBeenCalled();
  });
});
