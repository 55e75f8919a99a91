// Owns autosaving a draft: saves shortly after the last edit (and at once when the editor closes),
// follows renames, and reports whether the draft on disk matches what is on screen.
import { useEffect, useRef, useState } from 'react';
import { toApiError } from '../api';
import { campaignSave, type Campaign, type SavedCampaign } from './api';

export type SaveState = { kind: 'saved' } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'invalid'; message: string };

export const AUTOSAVE_MS = 600;

export function useAutosave(
  storeId: string,
  campaign: Campaign,
  savedName: string,
  enabled: boolean,
  onSaved: (saved: SavedCampaign, previousName: string) => void,
): SaveState {
  const json = JSON.stringify(campaign);
  const [state, setState] = useState<SaveState>({ kind: 'saved' });
  const lastSaved = useRef(json);
  const nameOnDisk = useRef(savedName);
  const pending = useRef<Campaign | null>(null);
  const saved = useRef(onSaved);
  saved.current = onSaved;

  const save = useRef(async (c: Campaign) => {
    const text = JSON.stringify(c);
    const previous = nameOnDisk.current;
    try {
      const result = await campaignSave(storeId, c, previous);
      lastSaved.current = text;
      nameOnDisk.current = result.campaign.name;
      saved.current(result, previous);
      return null;
    } catch (err) {
      return toApiError(err).message;
    }
  });

  useEffect(() => {
    if (!enabled || json === lastSaved.current) return;
    pending.current = campaign;
    setState({ kind: 'pending' });
    const timer = setTimeout(async () => {
      const c = pending.current;
      if (c === null) return;
      pending.current = null;
      setState({ kind: 'saving' });
      const error = await save.current(c);
      setState(error === null ? { kind: 'saved' } : { kind: 'invalid', message: error });
    }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
    // `json` stands for `campaign`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [json, enabled]);

  // Closing the editor saves what was not saved yet.
  useEffect(
    () => () => {
      const c = pending.current;
      if (c !== null) void save.current(c);
    },
    [],
  );

  return state;
}
