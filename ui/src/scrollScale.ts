// Owns the mapping between the browser's real scroll position and the virtual list offset, so lists taller than the engine's maximum element height still scroll end to end.

/**
 * Browsers cap element heights (WebKit/Blink near 33.5M px, Gecko near 17.8M px).
 * A million 36px rows is 36M px, so past this height the scroll area is compressed
 * and one real pixel stands for several virtual pixels.
 */
export const MAX_SCROLL_HEIGHT = 15_000_000;

export interface ScrollScale {
  /** Height given to the scrollable content, in real pixels. */
  realHeight: number;
  /** Full virtual height (rows × row height + header). */
  virtualHeight: number;
  /** Real scrollTop → virtual offset. */
  toVirtual(real: number): number;
  /** Virtual offset → real scrollTop. */
  toReal(virtual: number): number;
}

export function makeScrollScale(
  virtualHeight: number,
  viewportHeight: number,
  maxHeight: number = MAX_SCROLL_HEIGHT,
): ScrollScale {
  if (virtualHeight <= maxHeight) {
    return { realHeight: virtualHeight, virtualHeight, toVirtual: (r) => r, toReal: (v) => v };
  }
  const vp = Math.max(0, Math.min(viewportHeight, maxHeight / 2));
  const realRange = maxHeight - vp;
  const virtualRange = virtualHeight - vp;
  const k = virtualRange / realRange;
  return {
    realHeight: maxHeight,
    virtualHeight,
    toVirtual: (r) => Math.min(virtualRange, Math.max(0, r * k)),
    toReal: (v) => Math.min(realRange, Math.max(0, v / k)),
  };
}
