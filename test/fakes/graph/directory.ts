import { randomBytes } from 'node:crypto';

/** A user as Microsoft Graph stores it: the SEC-5 fields plus ones a connector must never ask for. */
export interface FakeGraphUser {
  id: string;
  userPrincipalName: string;
  givenName: string | null;
  surname: string | null;
  displayName: string | null;
  jobTitle: string | null;
  accountEnabled: boolean;
  mail: string | null;
  mobilePhone: string | null;
  officeLocation: string | null;
  department: string | null;
  employeeId: string | null;
  preferredLanguage: string | null;
  businessPhones: string[];
}

export type FakeGraphUserChanges = Partial<Omit<FakeGraphUser, 'id'>>;

/** One entry of a delta page: a user as it is now, or the id of a user who left. */
export type DeltaEntry = { user: FakeGraphUser } | { removedId: string };

const GIVEN_NAMES =
  'Ada Bruno Chloé Dmitri Elif Farid Greta Hiro Inès Jonas Kemal Lena Malik Noor Oskar Priya Quentin Rosa Sven Tomás Ugo Vera Wen Yara'.split(
    ' ',
  );
const SURNAMES =
  'Almeida Berger Castillo Dubois Eriksen Fischer García Horvat Ivanova Jansen Kowalski Laurent Moreau Nakamura Olsen Petrov Rossi Schmidt Tanaka Weber'.split(
    ' ',
  );
const JOB_TITLES =
  'Accountant,Buyer,Data Analyst,Designer,Engineer,Field Technician,HR Partner,Lawyer,Nurse,Project Manager,Sales Representative,Support Agent'.split(
    ',',
  );

/**
 * The users of one fake tenant. Seeded users are computed from their position when a page is served,
 * so 100,000 of them cost no memory; only changed, removed and added users are stored. Every change
 * bumps a version so a delta read can list what changed since the version its token remembers.
 */
export function createFakeDirectory() {
  // Object ids look like Entra's GUIDs; the tenant part keeps two fakes' ids apart.
  const tenantPart = randomBytes(4).toString('hex');
  let seedCount = 0;
  let version = 0;
  const updated = new Map<string, FakeGraphUser>();
  const removed = new Set<string>();
  const added: FakeGraphUser[] = [];
  const addedById = new Map<string, FakeGraphUser>();
  const changedAt = new Map<string, number>();

  const seededId = (index: number) => `${tenantPart}-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
  const seededIndex = (id: string) => {
    const match = /^([0-9a-f]{8})-0000-4000-8000-([0-9a-f]{12})$/.exec(id);
    if (!match || match[1] !== tenantPart) return -1;
    const index = Number.parseInt(match[2] ?? '', 16);
    return index < seedCount ? index : -1;
  };

  const generated = (index: number): FakeGraphUser => {
    const givenName = GIVEN_NAMES[index % GIVEN_NAMES.length] ?? 'Ada';
    const surname = SURNAMES[Math.floor(index / GIVEN_NAMES.length) % SURNAMES.length] ?? 'Almeida';
    const login = `${givenName}.${surname}.${index}`.normalize('NFD').replace(/[^A-Za-z0-9.]/g, '');
    return {
      id: seededId(index),
      userPrincipalName: `${login.toLowerCase()}@contoso.example`,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      jobTitle: index % 11 === 10 ? null : (JOB_TITLES[index % JOB_TITLES.length] ?? null),
      accountEnabled: index % 50 !== 49,
      mail: `${login.toLowerCase()}@contoso.example`,
      mobilePhone: `+33 6 ${String(10_000_000 + index).slice(-8)}`,
      officeLocation: `Building ${index % 7}`,
      department: index % 2 ? 'Operations' : 'Finance',
      employeeId: `E${index}`,
      preferredLanguage: 'fr-FR',
      businessPhones: [],
    };
  };

  const find = (id: string): FakeGraphUser | undefined => {
    if (removed.has(id)) return undefined;
    const changed = updated.get(id) ?? addedById.get(id);
    if (changed) return changed;
    const index = seededIndex(id);
    return index < 0 ? undefined : generated(index);
  };

  const touch = (id: string) => {
    version += 1;
    changedAt.set(id, version);
  };

  return {
    get version() {
      return version;
    },
    /** Positions run over seeded users, then added ones; removed users leave holes. */
    get size() {
      return seedCount + added.length;
    },
    seed(count: number) {
      seedCount = count;
      version = 0;
      updated.clear();
      removed.clear();
      added.length = 0;
      addedById.clear();
      changedAt.clear();
    },
    seededId,
    find,
    update(id: string, changes: FakeGraphUserChanges): FakeGraphUser {
      const current = find(id);
      if (!current) throw new Error(`No user ${id} in the fake directory`);
      const next = { ...current, ...changes, id };
      if (addedById.has(id)) {
        addedById.set(id, next);
        added[added.findIndex((user) => user.id === id)] = next;
      } else updated.set(id, next);
      touch(id);
      return next;
    },
    remove(id: string) {
      if (!find(id)) throw new Error(`No user ${id} in the fake directory`);
      removed.add(id);
      touch(id);
    },
    add(user: Partial<FakeGraphUser> = {}): FakeGraphUser {
      const index = seedCount + added.length;
      const base = generated(index);
      const created: FakeGraphUser = {
        ...base,
        ...user,
        id: user.id ?? `${tenantPart}-0000-4000-9000-${index.toString(16).padStart(12, '0')}`,
      };
      added.push(created);
      addedById.set(created.id, created);
      touch(created.id);
      return created;
    },
    /** Up to `limit` present users from position `from`; `next` is where the following page starts. */
    page(from: number, limit: number): { users: FakeGraphUser[]; next: number } {
      const users: FakeGraphUser[] = [];
      let position = from;
      const end = seedCount + added.length;
      while (position < end && users.length < limit) {
        const user = position < seedCount ? find(seededId(position)) : added[position - seedCount];
        if (user && !removed.has(user.id)) users.push(user);
        position += 1;
      }
      return { users, next: position };
    },
    /** Ids changed after `since`, oldest change first. */
    changedSince(since: number): string[] {
      return [...changedAt.entries()]
        .filter(([, at]) => at > since)
        .sort((a, b) => a[1] - b[1])
        .map(([id]) => id);
    },
    deltaEntry(id: string): DeltaEntry {
      const user = find(id);
      return user ? { user } : { removedId: id };
    },
  };
}

export type FakeDirectory = ReturnType<typeof createFakeDirectory>;
