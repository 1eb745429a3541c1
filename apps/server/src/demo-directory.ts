import { createHash } from 'node:crypto';
import { DEMO_PEOPLE } from './demo-people';

/**
 * The demo organization's directory (embedded default only): a Microsoft Entra-shaped directory the
 * development provider serves over the Microsoft Graph protocol, so "Sync users" works out of the box.
 * It holds the demo cast (whose ID tokens carry the same `tid` + `oid`, so their employee references
 * match) and a few hundred generated colleagues. Everything is derived, nothing random: the same people
 * with the same ids on every start.
 */
export const DEMO_DIRECTORY_TENANT_ID = '7d3c1f5e-2a4b-4c6d-8e9f-0a1b2c3d4e5f';
export const DEMO_DIRECTORY_CLIENT_ID = 'thestorage-demo-directory';
export const DEMO_DIRECTORY_GENERATED = 320;
/** Where the development provider serves the demo directory over the Microsoft Graph protocol. */
export const DEMO_GRAPH_PATH = '/dev-idp/graph';
const DOMAIN = 'demo.thestorage.dev';

/** One user as Microsoft Graph lists it, with the properties the connector asks for. */
export interface DemoDirectoryUser {
  id: string;
  userPrincipalName: string;
  givenName: string;
  surname: string;
  displayName: string;
  jobTitle: string;
  accountEnabled: boolean;
}

/** A GUID-shaped object id derived from a name, as Entra's `oid` looks. */
export function demoObjectId(name: string): string {
  const hex = createHash('sha256').update(`thestorage-demo-directory:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const GIVEN =
  'Anna Ben Clara David Elif Felix Greta Hugo Ines Jan Katja Luca Marta Nils Olga Paul Rosa Sami Tara Ulrich Vanessa Wim Yara Zoe'.split(
    ' ',
  );
const FAMILY =
  'Albrecht Becker Costa Dubois Engel Fuchs García Hoffmann Ivanova Jansen Keller Lehmann Meyer Novak Olsen Peters Rossi Schulz Tanaka Urban'.split(
    ' ',
  );
const TITLES =
  'Account Manager|Accountant|Customer Support Agent|Data Analyst|Designer|HR Partner|Legal Counsel|Logistics Planner|Marketing Specialist|Office Manager|Product Manager|Recruiter|Sales Representative|Software Engineer|Team Lead|Technician'.split(
    '|',
  );

const mailbox = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

let cached: readonly DemoDirectoryUser[] | undefined;

/** The demo cast first, then the generated colleagues; every 40th generated account is disabled. */
export function demoDirectoryUsers(): readonly DemoDirectoryUser[] {
  if (cached) return cached;
  const users: DemoDirectoryUser[] = DEMO_PEOPLE.filter((p) => p.demoRole !== 'platform-admin').map((p) => ({
    id: demoObjectId(p.sub),
    userPrincipalName: p.email,
    givenName: p.givenName,
    surname: p.familyName,
    displayName: p.displayName,
    jobTitle: p.jobTitle,
    accountEnabled: true,
  }));
  for (let i = 0; i < DEMO_DIRECTORY_GENERATED; i++) {
    const givenName = GIVEN[i % GIVEN.length]!;
    const surname = FAMILY[Math.floor(i / GIVEN.length) % FAMILY.length]!;
    const upn = `${mailbox(givenName)}.${mailbox(surname)}${i >= GIVEN.length * FAMILY.length ? i : ''}@${DOMAIN}`;
    users.push({
      id: demoObjectId(`generated-${i}`),
      userPrincipalName: upn,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      jobTitle: TITLES[(i * 7) % TITLES.length]!,
      accountEnabled: i % 40 !== 39,
    });
  }
  cached = Object.freeze(users);
  return cached;
}
