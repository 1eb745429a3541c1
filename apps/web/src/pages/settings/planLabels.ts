import type { Plan } from '@thestorage/contracts';

export const planLabel: Record<Plan, string> = {
  free: 'Free',
  professional: 'Professional',
  enterprise: 'Enterprise',
};

export const planColor: Record<Plan, string> = { free: 'gray', professional: 'blue', enterprise: 'grape' };

/** "emailNotifications" / "directory_sync" → "Email notifications" / "Directory sync". */
export function humanise(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function trialSummary(inTrial: boolean, daysLeft: number): string | null {
  if (!inTrial) return null;
  if (daysLeft <= 0) return 'Trial ends today';
  return daysLeft === 1 ? 'Trial: 1 day left' : `Trial: ${daysLeft} days left`;
}

export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}
