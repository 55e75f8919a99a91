// Owns remembering the last selected store across launches (localStorage).
const KEY = 'fanbase.lastStoreId';

export function readLastStore(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function writeLastStore(id: string | null): void {
  try {
    if (id === null) window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, id);
  } catch {
    // Storage can be unavailable (private mode, quota); remembering is best effort.
  }
}

/** The store to show: the wanted one if it still exists, else the first, else none. */
export function pickStore<T extends { id: string }>(stores: T[], wanted: string | null): T | null {
  return stores.find((s) => s.id === wanted) ?? stores[0] ?? null;
}
