import type { AppPath } from '../shell/navigation';

export interface UpcomingPage {
  path: Exclude<AppPath, '/'>;
  title: string;
  summary: string;
  highlights: readonly string[];
}

/** What each not-yet-built page will do, in the words of the specification. */
export const upcomingPages = {
  software: {
    path: '/software',
    title: 'Software',
    summary:
      'Software products and licences with seats, costs and renewal dates, utilisation at a glance and licence keys stored encrypted.',
    highlights: [
      'Seats assigned to employees and devices',
      'Under-used and renewal lists',
      'Encrypted, masked licence keys',
    ],
  },
  audit: {
    path: '/audit',
    title: 'Audit',
    summary:
      'Inventory audits across tenants: verify devices by scanning their barcode, let employees confirm their own devices, and freeze the results as a report.',
    highlights: [
      'Barcode or serial verification',
      'Employee self-verification',
      'Follow-up list with one-click status changes',
    ],
  },
  store: {
    path: '/store',
    title: 'Store',
    summary:
      'Campaigns that sell used devices to employees, first come, first served, with the proceeds donated to charity.',
    highlights: ['Store items with prices', 'Reservations and sales', 'Total charity value'],
  },
} as const satisfies Record<string, UpcomingPage>;
