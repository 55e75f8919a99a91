// Owns the small pill used for tags.
import type { ReactNode } from 'react';

export function Chip({ children, title, muted = false }: { children: ReactNode; title?: string; muted?: boolean }) {
  return (
    <span className={muted ? 'chip chip-muted' : 'chip'} title={title}>
      {children}
    </span>
  );
}
