// Owns how values are turned into display text (counts, dates, contact types).
import type { ContactType } from './api';

const numberFormat = new Intl.NumberFormat('en-US');
const dateFormat = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric' });

export const EMPTY_VALUE = '—';

export function formatNumber(n: number): string {
  return numberFormat.format(n);
}

/** "1 fan", "20,000 fans". */
export function formatFanCount(n: number): string {
  return `${formatNumber(n)} ${n === 1 ? 'fan' : 'fans'}`;
}

/** A last-open timestamp (ms since epoch) as a short local date, or an em dash. */
export function formatDate(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return EMPTY_VALUE;
  return dateFormat.format(new Date(ms));
}

/** Empty strings mean "not set". */
export function orDash(text: string): string {
  return text === '' ? EMPTY_VALUE : text;
}

export const TYPE_LABELS: Record<ContactType, string> = {
  lead: 'Lead',
  paying: 'Paying',
  subscription: 'Subscriber',
};

export function typeLabel(t: string): string {
  return (TYPE_LABELS as Record<string, string>)[t] ?? t;
}
