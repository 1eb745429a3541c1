import type { Role } from './platform/http/permissions';

/** What a demo person becomes: a role in the demo tenant, or a platform administrator (configured by issuer + subject). */
export type DemoRole = Role | 'platform-admin';

/** One person of the demo cast, as the development identity provider signs them in. */
export interface DemoPerson {
  /** Stable subject identifier: the same person gets the same `sub` on every start. */
  sub: string;
  email: string;
  givenName: string;
  familyName: string;
  displayName: string;
  jobTitle: string;
  demoRole: DemoRole;
  /** Authentication methods reported in the ID token; platform administrators must present MFA. */
  amr: readonly string[];
}

const DOMAIN = 'demo.thestorage.dev';

function person(
  sub: string,
  givenName: string,
  familyName: string,
  jobTitle: string,
  demoRole: DemoRole,
  mailbox: string,
): DemoPerson {
  return {
    sub,
    email: `${mailbox}@${DOMAIN}`,
    givenName,
    familyName,
    displayName: `${givenName} ${familyName}`,
    jobTitle,
    demoRole,
    amr: ['pwd', 'mfa'],
  };
}

/** The demo cast: one of each role in the demo tenant, a few employees, and a platform administrator. */
export const DEMO_PEOPLE: readonly DemoPerson[] = Object.freeze([
  person('demo-ada-admin', 'Ada', 'Admin', 'Head of IT', 'administrator', 'ada.admin'),
  person('demo-otto-operator', 'Otto', 'Operator', 'IT Support Specialist', 'operator', 'otto.operator'),
  person('demo-vera-viewer', 'Vera', 'Viewer', 'Finance Controller', 'viewer', 'vera.viewer'),
  person('demo-lena-fischer', 'Lena', 'Fischer', 'Account Manager', 'employee', 'lena.fischer'),
  person('demo-jonas-weber', 'Jonas', 'Weber', 'Software Engineer', 'employee', 'jonas.weber'),
  person('demo-liam-oconnor', 'Liam', "O'Connor", 'Warehouse Coordinator', 'employee', 'liam.oconnor'),
  person('demo-mia-schneider', 'Mia', 'Schneider', 'Marketing Lead', 'employee', 'mia.schneider'),
  person(
    'demo-paula-platform',
    'Paula',
    'Platform',
    'TheStorage Platform Operations',
    'platform-admin',
    'paula.platform',
  ),
]);

const BY_SUB = new Map(DEMO_PEOPLE.map((p) => [p.sub, p]));

export function findDemoPerson(sub: string): DemoPerson | undefined {
  return BY_SUB.get(sub);
}

/** How a role reads on the sign-in page. */
export function demoRoleLabel(role: DemoRole): string {
  switch (role) {
    case 'administrator':
      return 'Administrator';
    case 'operator':
      return 'Operator';
    case 'viewer':
      return 'Viewer';
    case 'employee':
      return 'Employee';
    case 'platform-admin':
      return 'Platform administrator';
  }
}
