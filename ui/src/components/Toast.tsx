// Owns the transient notice at the bottom of the window, with an optional action (e.g. Undo).
import { useEffect, type ReactNode } from 'react';

export interface ToastProps {
  children: ReactNode;
  actionLabel?: string;
  onAction?: () => void;
  onClose: () => void;
  /** Closes itself after this long (ms). */
  timeoutMs?: number;
}

export function Toast({ children, actionLabel, onAction, onClose, timeoutMs = 10_000 }: ToastProps) {
  useEffect(() => {
    const t = setTimeout(onClose, timeoutMs);
    return () => clearTimeout(t);
  }, [onClose, timeoutMs]);
  return (
    <div className="toast" role="status" data-testid="toast">
      <span className="toast-text">{children}</span>
      {actionLabel !== undefined && (
        <button type="button" className="toast-action" data-testid="toast-action" onClick={onAction}>
          {actionLabel}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Close" onClick={onClose}>
        ×
      </button>
    </div>
  );
}
