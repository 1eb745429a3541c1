/** Roles of SPEC section 1. `employee` is anyone in the directory; it has no admin rights. */
export type Role = 'administrator' | 'operator' | 'viewer' | 'employee';

/**
 * Every action a route may require. Later modules add theirs here, next to the roles that may do it,
 * so the whole access model can be read (and reviewed) in one table.
 */
export const PERMISSIONS = {
  'tenant.read': ['administrator', 'operator', 'viewer'],
  'tenant.settings.write': ['administrator'],
  'tenants.create': ['administrator'],
  'organization.sign-in.read': ['administrator'],
  'organization.sign-in.write': ['administrator'],
  'jobs.read': ['administrator', 'operator'],
  'audit.verify': ['administrator'],
  'members.read': ['administrator'],
  'members.write': ['administrator'],
  'subscription.write': ['administrator'],
  'export.create': ['administrator'],
  'deletion.request': ['administrator'],
  'directory.read': ['administrator'],
  'directory.write': ['administrator'],
  'scim.token.manage': ['administrator'],
  'employees.read': ['administrator', 'operator', 'viewer'],
  'self.read': ['administrator', 'operator', 'viewer', 'employee'],
  // Inventory (issue 6): Operators do the day-to-day work; deleting and moving devices is for Administrators.
  'inventory.read': ['administrator', 'operator', 'viewer'],
  'inventory.write': ['administrator', 'operator'],
  'inventory.settings.write': ['administrator'],
  'devices.delete': ['administrator'],
  'devices.move': ['administrator'],
  // DEV-1: bringing back a removed invoice PDF (within its 14 days) is for Administrators.
  'devices.invoice.restore': ['administrator'],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;

export function roleMay(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

/** Which of these actions may the role take — one check for a bulk request, not one per item. */
export function allowedActions(role: Role, actions: readonly Action[]): Set<Action> {
  return new Set(actions.filter((a) => roleMay(role, a)));
}
