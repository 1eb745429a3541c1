import type { Me, Role } from '@thestorage/contracts';

const BERLIN = {
  id: '0193a000-0000-7000-8000-000000000001',
  slug: 'demo-berlin',
  name: 'Demo Berlin',
  organizationName: 'Demo Company',
};
const BOSTON = {
  id: '0193a000-0000-7000-8000-000000000002',
  slug: 'demo-boston',
  name: 'Demo Boston',
  organizationName: 'Demo Company',
};

export const demoTenants = { berlin: BERLIN, boston: BOSTON };

/** A signed-in `me` answer for a person with `role` in the demo tenant. */
export function meAs(
  role: Role | null,
  overrides: Partial<Omit<Me, 'user'>> & { user?: Partial<Me['user']> } = {},
): Me {
  const tenant = role ? { ...BERLIN, role, isGlobal: role === 'administrator' } : null;
  const { user, ...rest } = overrides;
  return {
    user: {
      id: '0193a000-0000-7000-8000-0000000000aa',
      email: 'ada.admin@demo.thestorage.dev',
      name: 'Ada Admin',
      isPlatformAdmin: false,
      ...user,
    },
    activeTenant: tenant,
    tenants: tenant ? [tenant] : [],
    needsSignUp: false,
    csrfToken: 'csrf-token-of-this-session',
    ...rest,
  };
}
