// Owns the React binding of the contacts window cache: one window per store and count, re-rendering as pages arrive.
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { contactsPage, toApiError, type ApiError, type ContactRow, type ContactsQuery } from './api';
import { isUnfiltered } from './contactQuery';
import { ContactsWindow } from './contactsWindow';

const noSubscribe = () => () => {};
const zero = () => 0;

export interface ContactsWindowHandlers {
  onError: (err: ApiError) => void;
  /** A page contradicted the count: the data changed underneath; re-count. */
  onMismatch: () => void;
}

export function useContactsWindow(
  storeId: string | null,
  count: number | null,
  generation: number,
  handlers: ContactsWindowHandlers,
  /** Sort and filter; absent = every fan by email. A new query builds a new window. */
  query?: ContactsQuery,
): { win: ContactsWindow<ContactRow> | null; version: number } {
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const [current, setCurrent] = useState<{ key: string; win: ContactsWindow<ContactRow> } | null>(null);
  const queryKey = query === undefined ? '' : JSON.stringify(query);
  const key = `${storeId ?? ''}\u0000${count ?? ''}\u0000${generation}\u0000${queryKey}`;
  const queryRef = useRef(query);
  queryRef.current = query;

  useEffect(() => {
    if (storeId === null || count === null || count === 0) {
      setCurrent(null);
      return;
    }
    // The window belongs to the query of its key: later queries get their own window.
    const q = queryRef.current;
    const w = new ContactsWindow<ContactRow>({
      count,
      fetchPage: (req) => contactsPage(storeId, req, q),
      // The backend seeks a position of the plain list of fans only (no search, filter or users).
      seekable: q === undefined || (isUnfiltered(q.filter) && q.filter.include_users !== true),
      onError: (err) => handlersRef.current.onError(toApiError(err)),
      onMismatch: () => handlersRef.current.onMismatch(),
    });
    setCurrent({ key, win: w });
    return () => w.dispose();
  }, [key, storeId, count]);

  // Until the effect has run, the previous window belongs to another store: show none.
  const win = current !== null && current.key === key ? current.win : null;

  const version = useSyncExternalStore(win?.subscribe ?? noSubscribe, win?.getVersion ?? zero);
  return { win, version };
}
