// Owns the import's native surfaces: the open and save file dialogs and the window's file drag-and-drop.
import { getCurrentWebview, type DragDropEvent } from '@tauri-apps/api/webview';
import { open, save } from '@tauri-apps/plugin-dialog';
import { IMPORT_EXTENSIONS } from './importFlow';

/** Asks for one file to import; null when the user closes the dialog. */
export async function pickImportFile(): Promise<string | null> {
  const picked = await open({
    title: 'Import fans from a CSV file',
    multiple: false,
    directory: false,
    filters: [{ name: 'CSV exports', extensions: [...IMPORT_EXTENSIONS] }],
  });
  return typeof picked === 'string' ? picked : null;
}

/** Asks where to save the rejected rows; null when the user closes the dialog. */
export function pickRejectedPath(defaultName: string): Promise<string | null> {
  return save({ title: 'Save rejected rows', defaultPath: defaultName, filters: [{ name: 'CSV', extensions: ['csv'] }] });
}

/** Listens to files dragged over the window; resolves to the function that stops listening. */
export function listenFileDrop(handler: (event: DragDropEvent) => void): Promise<() => void> {
  return getCurrentWebview().onDragDropEvent((e) => handler(e.payload));
}

export type { DragDropEvent };
