import type { DirectoryPerson } from '../types';

/** A cached person under their employee reference (SEC-6: the HMAC of their directory identity, hex). */
export interface DirectoryEntry {
  reference: string;
  person: DirectoryPerson;
}

const REFERENCE = /^[0-9a-f]{64}$/;
const NULLABLE_TEXT = ['givenName', 'surname', 'displayName', 'jobTitle'] as const;

export function isEmployeeReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** Keeps exactly the SEC-5 fields, so whatever else a connector passed along never reaches the cache. */
export function sec5Person(person: DirectoryPerson): DirectoryPerson {
  const picked: DirectoryPerson = {
    directoryId: person.directoryId,
    userName: person.userName,
    givenName: person.givenName ?? null,
    surname: person.surname ?? null,
    displayName: person.displayName ?? null,
    jobTitle: person.jobTitle ?? null,
    active: person.active,
  };
  if (!isDirectoryPerson(picked)) throw new TypeError('A directory person has a field of the wrong type');
  return Object.freeze(picked);
}

/** The entry as it goes into a cache value: the reference plus the SEC-5 fields, nothing else. */
export function toStoredEntry(entry: DirectoryEntry): DirectoryEntry {
  if (!isEmployeeReference(entry.reference))
    throw new TypeError('An employee reference must be an HMAC-SHA256 in lowercase hex');
  return { reference: entry.reference, person: sec5Person(entry.person) };
}

/** Reads one stored entry back; anything that is not the stored shape is refused. */
export function fromStoredEntry(value: unknown): DirectoryEntry {
  if (typeof value !== 'object' || value === null) throw new TypeError('Not a stored directory entry');
  const { reference, person } = value as { reference?: unknown; person?: unknown };
  if (!isEmployeeReference(reference) || !isDirectoryPerson(person))
    throw new TypeError('Not a stored directory entry');
  return { reference, person: sec5Person(person) };
}

function isDirectoryPerson(value: unknown): value is DirectoryPerson {
  if (typeof value !== 'object' || value === null) return false;
  const person = value as Record<string, unknown>;
  if (typeof person.directoryId !== 'string' || typeof person.userName !== 'string') return false;
  if (typeof person.active !== 'boolean') return false;
  return NULLABLE_TEXT.every((field) => person[field] === null || typeof person[field] === 'string');
}
