// Owns row selection in the contacts table: click, ctrl/cmd-click and shift-click over absolute indices, kept as contact ids (pure).

export interface Selection {
  /** Selected contact ids. */
  ids: ReadonlySet<number>;
  /** Index of the row the next shift-click extends from. */
  anchor: number | null;
}

export const NO_SELECTION: Selection = { ids: new Set(), anchor: null };

export interface ClickModifiers {
  shift: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  toggle: boolean;
}

/**
 * The selection after clicking row `index`. `idAt` gives the id of a loaded row (undefined when not
 * loaded): a shift-click selects every loaded row between the anchor and the click.
 */
export function clickRow(
  sel: Selection,
  index: number,
  idAt: (index: number) => number | undefined,
  mods: ClickModifiers,
): Selection {
  const id = idAt(index);
  if (id === undefined) return sel;
  if (mods.shift && sel.anchor !== null) {
    const ids = new Set(mods.toggle ? sel.ids : []);
    const [lo, hi] = sel.anchor <= index ? [sel.anchor, index] : [index, sel.anchor];
    for (let i = lo; i <= hi; i++) {
      const rowId = idAt(i);
      if (rowId !== undefined) ids.add(rowId);
    }
    return { ids, anchor: sel.anchor };
  }
  if (mods.toggle) {
    const ids = new Set(sel.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    return { ids, anchor: index };
  }
  return { ids: new Set([id]), anchor: index };
}

/** Flips one row in or out of the selection (Space on the active row). */
export function toggleRow(sel: Selection, index: number, id: number): Selection {
  return clickRow(sel, index, (i) => (i === index ? id : undefined), { shift: false, toggle: true });
}

/** The selected ids that are fans of the store (users without a fan record have negative ids). */
export function fanIds(sel: Selection): number[] {
  return [...sel.ids].filter((id) => id > 0).sort((a, b) => a - b);
}
