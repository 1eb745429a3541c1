/** A user resource as the Admin SDK Directory API returns it with projection=full and no field mask. */
export interface FakeGoogleUser {
  kind: 'admin#directory#user';
  id: string;
  etag: string;
  primaryEmail: string;
  name: { givenName: string; familyName: string; fullName: string };
  isAdmin: boolean;
  isDelegatedAdmin: boolean;
  lastLoginTime: string;
  creationTime: string;
  agreedToTerms: boolean;
  suspended: boolean;
  archived: boolean;
  changePasswordAtNextLogin: boolean;
  ipWhitelisted: boolean;
  emails: { address: string; primary?: boolean; type?: string }[];
  phones?: { value: string; type: string }[];
  addresses?: { type: string; formatted: string; locality: string }[];
  organizations?: {
    title?: string;
    primary?: boolean;
    customType: string;
    department?: string;
    costCenter?: string;
    description?: string;
  }[];
  recoveryEmail?: string;
  recoveryPhone?: string;
  customerId: string;
  orgUnitPath: string;
  isMailboxSetup: boolean;
  isEnrolledIn2Sv: boolean;
  isEnforcedIn2Sv: boolean;
  includeInGlobalAddressList: boolean;
  thumbnailPhotoUrl?: string;
}

export interface FakeGoogleUserChange {
  primaryEmail?: string;
  name?: Partial<FakeGoogleUser['name']>;
  suspended?: boolean;
  organizations?: FakeGoogleUser['organizations'];
}

const GIVEN = ['Ada', 'Bruno', 'Chloé', 'Dmitri', 'Emma', 'Farid', 'Greta', 'Hugo', 'Inès', 'Jonas', 'Kenji'];
const FAMILY = ['Martin', 'Bernard', 'Dubois', 'Nguyen', 'Schmidt', 'Rossi', 'García', 'Okafor', 'Larsen'];
const TITLES = ['Engineer', 'Accountant', 'Designer', 'Sales Manager', 'Technician', 'Nurse', 'Analyst'];
const DEPARTMENTS = ['R&D', 'Finance', 'Sales', 'Operations', 'Care'];

/** Google user ids are 21-digit decimal strings; the fake's are 1 followed by the zero-padded index. */
export const googleUserId = (index: number): string => `1${String(index).padStart(20, '0')}`;

export const indexOfGoogleUserId = (id: string): number | undefined =>
  /^1\d{20}$/.test(id) ? Number(id.slice(1)) : undefined;

/**
 * User number `index`, made on demand so 100,000 of them cost nothing until listed. Every tenth has no
 * organization, every seventh has two with the primary one second, every fiftieth is suspended.
 */
export function generateGoogleUser(index: number, domain: string, customerId: string): FakeGoogleUser {
  const givenName = GIVEN[index % GIVEN.length]!;
  const familyName = FAMILY[Math.floor(index / GIVEN.length) % FAMILY.length]!;
  const local = `${givenName}.${familyName}.${index}`
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  const primaryEmail = `${local}@${domain}`;
  const title = TITLES[index % TITLES.length]!;
  const department = DEPARTMENTS[index % DEPARTMENTS.length]!;
  const organizations: FakeGoogleUser['organizations'] =
    index % 10 === 0
      ? undefined
      : index % 7 === 0
        ? [
            { title: 'Former intern', primary: false, customType: '', department: 'Archive' },
            { title, primary: true, customType: '', department, costCenter: `CC-${index % 97}` },
          ]
        : [{ title, primary: true, customType: '', department, costCenter: `CC-${index % 97}` }];
  return {
    kind: 'admin#directory#user',
    id: googleUserId(index),
    etag: `"etag-${index}-0"`,
    primaryEmail,
    name: { givenName, familyName, fullName: `${givenName} ${familyName}` },
    isAdmin: false,
    isDelegatedAdmin: false,
    lastLoginTime: '2026-01-02T08:00:00.000Z',
    creationTime: '2024-03-01T09:00:00.000Z',
    agreedToTerms: true,
    suspended: index % 50 === 0,
    archived: false,
    changePasswordAtNextLogin: false,
    ipWhitelisted: false,
    emails: [{ address: primaryEmail, primary: true }],
    phones: [{ value: `+33 1 ${String(index).padStart(8, '0')}`, type: 'work' }],
    addresses: [{ type: 'home', formatted: `${index} rue de la Paix, Paris`, locality: 'Paris' }],
    organizations,
    recoveryEmail: `${local}@personal.example`,
    recoveryPhone: `+33600${String(index).padStart(6, '0')}`,
    customerId,
    orgUnitPath: '/',
    isMailboxSetup: true,
    isEnrolledIn2Sv: index % 3 === 0,
    isEnforcedIn2Sv: false,
    includeInGlobalAddressList: true,
    thumbnailPhotoUrl: `https://lh3.googleusercontent.com/a/${index}`,
  };
}

export function applyUserChange(user: FakeGoogleUser, change: FakeGoogleUserChange, version: number) {
  const name = { ...user.name, ...change.name };
  if (!change.name?.fullName) name.fullName = `${name.givenName} ${name.familyName}`;
  return {
    ...user,
    ...change,
    name,
    etag: `"etag-${user.id}-${version}"`,
    emails: change.primaryEmail ? [{ address: change.primaryEmail, primary: true }] : user.emails,
  };
}
