// Owns the live preview: re-renders shortly after each edit for the same fan, steps to the next or
// previous recipient, and finds a recipient by email. Stale answers are dropped.
import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiError } from '../api';
import { campaignCounts, campaignPreview, type Campaign, type Counts, type Pick, type Preview } from './api';

export const PREVIEW_MS = 350;
const NOT_FOUND = 'RECIPIENT_NOT_FOUND';

export interface PreviewState {
  preview: Preview | null;
  /** The latest exact counts: the preview's, or counted alone while the preview fails. */
  counts: Counts | null;
  error: string | null;
  searchError: string | null;
  loading: boolean;
  step: (direction: 'before' | 'after') => void;
  search: (email: string) => void;
}

export function usePreview(storeId: string, campaign: Campaign): PreviewState {
  const json = JSON.stringify(campaign);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [searchError, setSearchError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const seq = useRef(0);
  const current = useRef<{ campaign: Campaign; email: string | null }>({ campaign, email: null });
  current.current.campaign = campaign;

  const run = useCallback(
    async (pick: Pick, fromSearch: boolean) => {
      const mine = ++seq.current;
      setLoading(true);
      try {
        let result: Preview;
        try {
          result = await campaignPreview(storeId, current.current.campaign, pick);
        } catch (err) {
          const e = toApiError(err);
          // The fan shown is no longer a recipient (the segment changed): start from the first.
          if (e.code !== NOT_FOUND || fromSearch) throw e;
          result = await campaignPreview(storeId, current.current.campaign, { kind: 'first' });
        }
        if (mine !== seq.current) return;
        current.current.email = result.fan?.email ?? null;
        setPreview(result);
        setCounts(result.counts);
        setError(null);
        setSearchError(null);
      } catch (err) {
        if (mine !== seq.current) return;
        const e = toApiError(err);
        if (fromSearch && e.code === NOT_FOUND) {
          setSearchError(`${e.message} (not in this list or segment, or unsubscribed, bounced or complained)`);
        } else {
          setError(e.message);
          campaignCounts(storeId, current.current.campaign).then(
            (c) => mine === seq.current && setCounts(c),
            () => undefined,
          );
        }
      } finally {
        if (mine === seq.current) setLoading(false);
      }
    },
    [storeId],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      const email = current.current.email;
      void run(email === null ? { kind: 'first' } : { kind: 'email', email }, false);
    }, PREVIEW_MS);
    return () => clearTimeout(timer);
    // `json` stands for `campaign`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json, run]);

  const step = useCallback(
    (direction: 'before' | 'after') => {
      const email = current.current.email;
      if (email !== null) void run({ kind: direction, email }, false);
    },
    [run],
  );
  const search = useCallback((email: string) => void run({ kind: 'email', email }, true), [run]);

  return { preview, counts, error, searchError, loading, step, search };
}
