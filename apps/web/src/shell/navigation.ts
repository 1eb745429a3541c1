import {
  type Icon,
  IconApps,
  IconBuildingStore,
  IconChecklist,
  IconDeviceLaptop,
  IconLayoutDashboard,
  IconSettings,
  IconUsers,
} from '@tabler/icons-react';

export type AppPath = '/' | '/devices' | '/employees' | '/software' | '/audit' | '/store' | '/settings';

export interface NavEntry {
  to: AppPath;
  label: string;
  icon: Icon;
}

/** The sidebar, top to bottom; Settings sits apart at the foot of the sidebar. */
export const mainNavigation: readonly NavEntry[] = [
  { to: '/', label: 'Dashboard', icon: IconLayoutDashboard },
  { to: '/devices', label: 'Devices', icon: IconDeviceLaptop },
  { to: '/employees', label: 'Employees', icon: IconUsers },
  { to: '/software', label: 'Software', icon: IconApps },
  { to: '/audit', label: 'Audit', icon: IconChecklist },
  { to: '/store', label: 'Store', icon: IconBuildingStore },
];

export const footerNavigation: readonly NavEntry[] = [
  { to: '/settings', label: 'Settings', icon: IconSettings },
];

/** A section stays highlighted on its sub-pages (e.g. /devices/42 keeps Devices active). */
export function isActivePath(entry: AppPath, pathname: string): boolean {
  if (entry === '/') return pathname === '/';
  return pathname === entry || pathname.startsWith(`${entry}/`);
}
