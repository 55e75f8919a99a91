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

const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** An amount in currency units, e.g. "$1,234.50". */
export function formatMoney(amount: number): string {
  return moneyFormat.format(amount);
}

/** "active" → "Active"; '' stays ''. */
export function statusLabel(status: string): string {
  return status === '' ? '' : status.charAt(0).toUpperCase() + status.slice(1);
}

/** A share as a percentage with one decimal, e.g. 0.1234 → "12.3%". */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
