// Owns the tests of the ways into an import: the test-only path field and the store an import goes to.
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

const state = { e2e: true, inspected: [] as string[] };

vi.mock('../api', async (importOriginal) => {
  const real = await importOriginal<typeof import('../api')>();
  return {
    ...real,
    importE2eEnabled: async () => state.e2e,
    importTargets: async () => ['email'],
    importInspect: async (path: string) => {
      state.inspected.push(path);
      throw { code: 'EMPTY_FILE', message: 'the file is empty' };
    },
  };
});
vi.mock('./native', () => ({
  pickRejectedPath: async () => null,
  pickImportFile: async () => '/picked/list.csv',
  listenFileDrop: async () => () => undefined,
}));

const { ImportLauncher } = await import('./ImportLauncher');

afterEach(() => {
  cleanup();
  state.inspected = [];
});

describe('ImportLauncher', () => {
  it('opens the same import dialog for a typed path (test mode) into the selected store', async () => {
    const ensureStore = vi.fn(async () => 'new');
    render(<ImportLauncher storeId="s1" storeName="Main" ensureStore={ensureStore} onImported={vi.fn()} onError={vi.fn()} />);
    fireEvent.change(await screen.findByTestId('import-path'), { target: { value: ' /tmp/fans.csv ' } });
    fireEvent.click(screen.getByTestId('import-path-open'));
    await screen.findByTestId('import-dialog');
    await waitFor(() => expect(state.inspected).toEqual(['/tmp/fans.csv']));
    expect(ensureStore).not.toHaveBeenCalled();
  });

  it('hides the path field outside test mode; the button picks a file and creates a store if there is none', async () => {
    state.e2e = false;
    const ensureStore = vi.fn(async () => 'fans');
    render(<ImportLauncher storeId={null} storeName="My fans" ensureStore={ensureStore} onImported={vi.fn()} onError={vi.fn()} />);
    fireEvent.click(screen.getByTestId('import-button'));
    await screen.findByTestId('import-dialog');
    expect(screen.queryByTestId('import-path')).toBeNull();
    expect(ensureStore).toHaveBeenCalledOnce();
    await waitFor(() => expect(state.inspected).toEqual(['/picked/list.csv']));
  });
});
