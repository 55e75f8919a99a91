// Owns the tests of the IPC layer: command names, camelCase argument names and error normalisation.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const api = await import('./api');

describe('api', () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it('calls the contract commands with camelCase arguments', async () => {
    invoke.mockResolvedValue(undefined);
    await api.storesList();
    await api.storesAdd('s1', 'Piano Fans');
    await api.contactsCount('s1');
    await api.contactsPage('s1', { after: 'c9', before: null, fromEnd: false, limit: 200 });
    await api.contactsPage('s1', { after: 'c9', before: null, fromEnd: false, limit: 1000, cursorsOnly: true });
    await api.contactsPage('s1', { after: null, before: null, fromEnd: false, limit: 200, offset: 500_000 });
    await api.demoLoad('demo', 20_000);
    expect(invoke.mock.calls).toEqual([
      ['stores_list', {}],
      ['stores_add', { id: 's1', name: 'Piano Fans' }],
      ['contacts_count', { storeId: 's1' }],
      ['contacts_page', { storeId: 's1', after: 'c9', before: null, fromEnd: false, limit: 200, cursorsOnly: false }],
      ['contacts_page', { storeId: 's1', after: 'c9', before: null, fromEnd: false, limit: 1000, cursorsOnly: true }],
      [
        'contacts_page',
        { storeId: 's1', after: null, before: null, fromEnd: false, limit: 200, cursorsOnly: false, offset: 500_000 },
      ],
      ['demo_load', { storeId: 'demo', rows: 20_000 }],
    ]);
  });

  it('passes {code, message} rejections through unchanged', async () => {
    invoke.mockImplementation(() => Promise.reject({ code: 'not_found', message: 'No store "x".', extra: 1 }));
    await expect(api.contactsCount('x')).rejects.toEqual({ code: 'not_found', message: 'No store "x".' });
  });

  it('normalises other rejections to {code, message}', async () => {
    invoke.mockImplementation(() => Promise.reject('plain string'));
    await expect(api.storesList()).rejects.toEqual({ code: 'unknown', message: 'plain string' });
    invoke.mockImplementation(() => Promise.reject(new TypeError('window.__TAURI_INTERNALS__ is undefined')));
    await expect(api.storesList()).rejects.toMatchObject({ code: 'no_backend' });
  });
});
