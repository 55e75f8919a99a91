// Owns the window-wide file drop: whether a file hovers (and whether it can be imported) and what was dropped.
import { useEffect, useRef, useState } from 'react';
import { importablePath } from './importFlow';
import { listenFileDrop, type DragDropEvent } from './native';

/** What hovers over the window: nothing, or files that can (or cannot) be imported. */
export type DropHover = null | { importable: boolean };

export type DropOutcome = { kind: 'none' } | { kind: 'file'; path: string } | { kind: 'unsupported'; names: string[] };

/** The pure step: the hover state after `event`, and what a drop hands over. */
export function dropStep(hover: DropHover, event: DragDropEvent): { hover: DropHover; outcome: DropOutcome } {
  switch (event.type) {
    case 'enter':
      return { hover: { importable: importablePath(event.paths) !== null }, outcome: { kind: 'none' } };
    case 'over':
      return { hover: hover ?? { importable: true }, outcome: { kind: 'none' } };
    case 'leave':
      return { hover: null, outcome: { kind: 'none' } };
    case 'drop': {
      const path = importablePath(event.paths);
      if (path !== null) return { hover: null, outcome: { kind: 'file', path } };
      return { hover: null, outcome: event.paths.length === 0 ? { kind: 'none' } : { kind: 'unsupported', names: event.paths } };
    }
  }
}

/**
 * Subscribes to Tauri's drag-drop events while `enabled`. `onOutcome` gets each drop.
 * Outside the Tauri window (tests, a plain browser) there are no such events and nothing happens.
 */
export function useFileDrop(enabled: boolean, onOutcome: (o: DropOutcome) => void): DropHover {
  const [hover, setHover] = useState<DropHover>(null);
  const hoverRef = useRef<DropHover>(null);
  const outcomeRef = useRef(onOutcome);
  outcomeRef.current = onOutcome;

  useEffect(() => {
    if (!enabled) {
      hoverRef.current = null;
      setHover(null);
      return;
    }
    let stop: (() => void) | null = null;
    let gone = false;
    try {
      listenFileDrop((event) => {
        const step = dropStep(hoverRef.current, event);
        hoverRef.current = step.hover;
        setHover(step.hover);
        if (step.outcome.kind !== 'none') outcomeRef.current(step.outcome);
      }).then(
        (unlisten) => (gone ? unlisten() : (stop = unlisten)),
        () => {
          // No Tauri bridge: dropping files is simply not available.
        },
      );
    } catch {
      // getCurrentWebview() throws outside Tauri.
    }
    return () => {
      gone = true;
      stop?.();
    };
  }, [enabled]);

  return hover;
}
