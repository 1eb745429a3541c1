import type { Assignee } from '@thestorage/contracts';

/** A device number as people say it: `#108`. */
export function deviceNumber(number: number): string {
  return `#${number}`;
}

/** The name and number together, as confirmations name a device: `ThinkPad X1 (#108)`. */
export function deviceTitle(device: { displayName: string; number: number }): string {
  return `${device.displayName} (${deviceNumber(device.number)})`;
}

/** A calendar day (YYYY-MM-DD) as "Jan 15, 2030"; read as UTC so the day never shifts. */
export function formatDay(day: string | null): string {
  if (!day) return '—';
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return date.toLocaleDateString('en', { dateStyle: 'medium', timeZone: 'UTC' });
}

/** A moment as "Jan 15, 2030, 10:00 AM" in the reader's time zone. */
export function formatMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A decimal amount in its currency ("€1,299.90", "¥195,746"). The amount goes to Intl as text, so it is
 * shown exactly as stored or computed by the server (no binary floating point on the way).
 */
export function formatAmount(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount as `${number}`);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A price in its currency ("€1,299.90", exactly as stored); the plain decimal when the currency is unknown. */
export function formatPrice(price: string | null, currency: string | null): string {
  if (!price) return '—';
  if (!currency) return price;
  return formatAmount(price, currency);
}

/** How an assignment reads where no component can be shown (titles, labels). */
export function assigneeKindLabel(assignee: Assignee): string {
  switch (assignee.kind) {
    case 'employee':
      return assignee.employee.displayName;
    case 'place':
      return assignee.placeName;
    case 'it':
      return 'IT department';
    case 'store':
      return 'Campaign store';
  }
}
