import type { Me, Role } from '@thestorage/contracts';

/** The kinds of page the app has, each opened by a set of roles (SPEC section 1). */
export type PageAccess =
  | 'inventory'
  | 'settings'
  | 'catalog'
  | 'members'
  | 'directory'
  | 'provisioning'
  | 'self'
  | 'platform';

/** Which tenant roles may open which pages; the server's permission table decides what they may do there. */
const PAGE_ROLES: Record<Exclude<PageAccess, 'platform'>, readonly Role[]> = {
  inventory: ['administrator', 'operator', 'viewer'],
  settings: ['administrator', 'operator', 'viewer'],
  catalog: ['administrator', 'operator', 'viewer'],
  members: ['administrator'],
  directory: ['administrator'],
  provisioning: ['administrator'],
  self: ['administrator', 'operator', 'viewer', 'employee'],
};

export const roleLabel: Record<Role, string> = {
  administrator: 'Administrator',
  operator: 'Operator',
  viewer: 'Viewer',
  employee: 'Employee',
};

export function activeRole(me: Me): Role | null {
  return me.activeTenant?.role ?? null;
}

export function mayOpen(me: Me, access: PageAccess): boolean {
  if (access === 'platform') return me.user.isPlatformAdmin;
  const role = activeRole(me);
  return role !== null && PAGE_ROLES[access].includes(role);
}

/** Settings are changed by Administrators only; Operators and Viewers read them. */
export function mayEditSettings(me: Me): boolean {
  return activeRole(me) === 'administrator';
}

/** Inventory changes and who may make them, mirroring the server's permission table (it still decides). */
const INVENTORY_ACTION_ROLES = {
  /** See devices, their history and the inventory lists. */
  'inventory.read': ['administrator', 'operator', 'viewer'],
  /** Add, edit and delete categories, places, tags and vendors; add, edit, assign and comment on devices. */
  'inventory.write': ['administrator', 'operator'],
  /** The default place and the barcode scheme. */
  'inventory.settings.write': ['administrator'],
  /** Move a device to another tenant of the organization (DEV-7). */
  'devices.move': ['administrator'],
  /** Delete a device for good (DEV-8). */
  'devices.delete': ['administrator'],
  /** Bring back a removed invoice PDF within its 14 days (DEV-1). */
  'devices.invoice.restore': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;

export type InventoryAction = keyof typeof INVENTORY_ACTION_ROLES;

export function mayChangeInventory(me: Me, action: InventoryAction): boolean {
  const role = activeRole(me);
  return role !== null && (INVENTORY_ACTION_ROLES[action] as readonly Role[]).includes(role);
}

/** Adding a tenant needs an Administrator with a global role; the server checks the global flag. */
export function mayAddTenants(me: Me): boolean {
  return activeRole(me) === 'administrator' && me.activeTenant?.isGlobal === true;
}

/** Where a person starts: employees on their own page, platform staff without a tenant in the console. */
export function homePath(me: Me): '/' | '/my-devices' | '/platform' | '/sign-up' {
  const role = activeRole(me);
  if (role === null) return me.user.isPlatformAdmin ? '/platform' : '/sign-up';
  return role === 'employee' ? '/my-devices' : '/';
}

const CATALOG_PATHS = [
  '/settings/categories',
  '/settings/places',
  '/settings/tags',
  '/settings/vendors',
  '/settings/inventory',
  '/settings/currency',
];

const INVENTORY_PATHS = ['/devices', '/employees', '/software', '/audit', '/store'];

function within(pathname: string, section: string): boolean {
  return pathname === section || pathname.startsWith(`${section}/`);
}

/** The access a page needs, by its address; null for addresses that are no page (the not-found page). */
export function accessForPath(pathname: string): PageAccess | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path === '/') return 'inventory';
  if (within(path, '/my-devices')) return 'self';
  if (within(path, '/platform')) return 'platform';
  if (within(path, '/settings/users')) return 'members';
  if (within(path, '/settings/directory')) return 'directory';
  if (within(path, '/settings/provisioning')) return 'provisioning';
  if (CATALOG_PATHS.some((section) => within(path, section))) return 'catalog';
  if (within(path, '/settings')) return 'settings';
  if (INVENTORY_PATHS.some((section) => within(path, section))) return 'inventory';
  return null;
}
