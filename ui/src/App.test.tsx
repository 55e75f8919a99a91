// Owns the app-level rendering tests: empty state, loading sample fans, fan count, and the virtualized table in jsdom.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ContactRow, Store } from './api';
import { FakeSource, makeContact } from './testing/fakeSource';

const state = {
  stores: [] as Store[],
  source: FakeSource.ofSize(0),
};

const calls = {
  demoLoad: vi.fn(),
};

vi.mock('./api', async (importOriginal) => {
  const real = await importOriginal<typeof import('./api')>();
  return {
    ...real,
    storesList: async () => state.stores.map((s) => ({ ...s })),
    contactsCount: async (storeId: string) => {
      if (!state.stores.some((s) => s.id === storeId)) throw { code: 'STORE_NOT_FOUND', message: 'No such store.' };
      return state.source.size;
    },
    contactsPage: async (_storeId: string, req: Parameters<FakeSource['page']>[0]) => state.source.fetch(req),
    contactsConversion: async () => ({ fans: state.source.size, with_account: state.source.size / 2, rate: 0.5 }),
    tagsList: async () => [{ name: 'beginner', count: Math.ceil(state.source.size / 2) }],
    demoLoad: async (storeId: string, rows: number) => {
      calls.demoLoad(storeId, rows);
      await new Promise((r) => setTimeout(r, 10));
      const data: ContactRow[] = [];
      for (let i = 0; i < rows; i++) data.push(makeContact(i));
      data[0] = { ...data[0], name: '<img src=x onerror=alert(1)>' };
      state.source = new FakeSource(data);
      state.stores = [{ id: storeId, name: 'Demo', contacts: rows }];
      return rows;
    },
  };
});

const { App } = await import('./App');

// jsdom has no layout: give the scroll container a viewport so the virtualizer renders rows.
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
  // The originals live on Element.prototype; removing the overrides restores them.
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

beforeEach(() => {
  state.stores = [];
  state.source = FakeSource.ofSize(0);
  calls.demoLoad.mockReset();
  localStorage.clear();
});
afterEach(cleanup);

describe('App', () => {
  it('shows the empty state, loads sample fans, then shows the exact count and rows', async () => {
    render(<App />);
    await screen.findByTestId('empty-state');
    const count = screen.getByTestId('fan-count');
    expect(count.getAttribute('data-count')).toBe('0');
    expect(count.textContent).toBe('0 fans');
    expect((screen.getByTestId('store-switcher') as HTMLSelectElement).disabled).toBe(true);

    const button = screen.getByTestId('load-sample');
    expect(button.textContent).toBe('Load 20,000 sample fans');
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId('load-sample').getAttribute('aria-busy')).toBe('true'));
    expect(calls.demoLoad).toHaveBeenCalledWith('demo', 20_000);

    await waitFor(() => expect(screen.getByTestId('fan-count').getAttribute('data-count')).toBe('20000'));
    expect(screen.getByTestId('fan-count').textContent).toBe('20,000 fans');
    expect(screen.queryByTestId('empty-state')).toBeNull();
    expect(localStorage.getItem('fanbase.lastStoreId')).toBe('demo');
    await waitFor(() => expect(screen.getByTestId('conversion-rate').textContent).toContain('50.0%'));
    const tag = await screen.findByTestId('tag-item');
    expect([tag.getAttribute('data-tag'), tag.getAttribute('data-count')]).toEqual(['beginner', '10000']);

    screen.getByTestId('contacts-table');
    const scroll = screen.getByTestId('contacts-scroll');
    // Placeholders first, then the first page.
    const rows = await screen.findAllByTestId('contact-row', undefined, { timeout: 3000 });
    expect(rows[0].getAttribute('data-index')).toBe('0');
    expect(rows[0].getAttribute('data-email')).toBe('fan0000000@example.com');
    expect(rows[0].textContent).toContain('<img src=x onerror=alert(1)>');
    expect(scroll.querySelector('img')).toBeNull();
    expect(state.source.log[0]).toEqual({ after: null, before: null, fromEnd: false, limit: 200 });

    // Keyboard: the table is focusable and Down highlights rows.
    scroll.focus();
    fireEvent.keyDown(scroll, { key: 'ArrowDown' });
    fireEvent.keyDown(scroll, { key: 'ArrowDown' });
    const active = scroll.querySelector('[aria-selected="true"]');
    expect(active?.getAttribute('data-index')).toBe('1');
    expect(scroll.getAttribute('aria-activedescendant')).toBe('contact-row-1');
  });

  it('remembers the selected store and switches between stores', async () => {
    state.stores = [
      { id: 'a', name: 'Guitar School', contacts: 3 },
      { id: 'b', name: 'Piano Club', contacts: 3 },
    ];
    state.source = FakeSource.ofSize(3);
    localStorage.setItem('fanbase.lastStoreId', 'b');
    render(<App />);
    const select = (await screen.findByTestId('store-switcher')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('b'));
    await waitFor(() => expect(screen.getByTestId('fan-count').getAttribute('data-count')).toBe('3'));
    expect(screen.getByTestId('fan-count').textContent).toBe('3 fans');
    await act(async () => {
      fireEvent.change(select, { target: { value: 'a' } });
    });
    expect(localStorage.getItem('fanbase.lastStoreId')).toBe('a');
    await waitFor(() => expect(select.value).toBe('a'));
  });

  it('shows backend errors in a dismissible banner and forgets a vanished store', async () => {
    // The remembered store is listed but contacts_count no longer knows it (code STORE_NOT_FOUND).
    state.stores = [{ id: 'x', name: 'X', contacts: 0 }];
    localStorage.setItem('fanbase.lastStoreId', 'x');
    const realStores = state.stores;
    render(<App />);
    await screen.findByTestId('fan-count');
    state.stores = [];
    const banner = await screen.findByTestId('error-banner');
    expect(banner.textContent).toContain('No such store.');
    await waitFor(() => expect(localStorage.getItem('fanbase.lastStoreId')).toBeNull());
    fireEvent.click(screen.getByTestId('error-dismiss'));
    expect(screen.queryByTestId('error-banner')).toBeNull();
    expect(realStores).toHaveLength(1);
  });
});
