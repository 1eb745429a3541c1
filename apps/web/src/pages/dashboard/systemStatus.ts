import type { Health } from '@thestorage/contracts';

/** Certificates closer than this to expiry are shown in the warning colour (the server warns at 30 days too). */
export const CERTIFICATE_WARNING_DAYS = 30;

export function certificateColor(daysLeft: number | null): 'teal' | 'orange' | 'red' | 'gray' {
  if (daysLeft === null) return 'gray';
  if (daysLeft <= 0) return 'red';
  if (daysLeft < CERTIFICATE_WARNING_DAYS) return 'orange';
  return 'teal';
}

export function certificateSummary(tls: Health['tls']): string {
  if (tls.daysLeft === null) return tls.source === 'proxy' ? 'Terminated at the proxy' : 'Expiry unknown';
  if (tls.daysLeft <= 0) return 'Expired';
  return tls.daysLeft === 1 ? '1 day left' : `${tls.daysLeft} days left`;
}

export const certificateSourceLabel: Record<Health['tls']['source'], string> = {
  'dev-ca': 'Local development CA',
  files: 'Certificate files',
  proxy: 'TLS proxy',
};

export const modeLabel: Record<Health['mode'], string> = {
  embedded: 'Embedded',
  production: 'Production',
};

export function formatUptime(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${s} s`;
}

export function formatLatency(ms: number): string {
  return ms < 1 ? '< 1 ms' : `${Math.round(ms)} ms`;
}

export function formatDate(iso: string | null): string | null {
  if (iso === null) return null;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return null;
  return date.toLocaleDateString('en', { year: 'numeric', month: 'short', day: 'numeric' });
}
