// Owns the app's button: primary/secondary/ghost variants and a busy state.
import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'ghost';
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, className, disabled, children, type, ...rest }: ButtonProps) {
  const classes = ['btn', `btn-${variant}`, busy ? 'is-busy' : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <button
      type={type ?? 'button'}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
