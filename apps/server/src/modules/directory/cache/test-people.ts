import { createHmac, randomBytes } from 'node:crypto';
import type { DirectoryPerson } from '../types';
import type { DirectoryEntry } from './directory-entry';

// A stand-in for an organization's link key: references are HMAC-SHA256 hex, as in SEC-6.
const linkKey = randomBytes(32);

export function referenceFor(directoryIdentity: string): string {
  return createHmac('sha256', linkKey).update(directoryIdentity).digest('hex');
}

export function person(
  directoryId: string,
  givenName: string,
  surname: string,
  extra: Partial<DirectoryPerson> = {},
): DirectoryEntry {
  const userName = `${ascii(givenName)}.${ascii(surname)}@example.com`;
  return {
    reference: referenceFor(`tenant-1/${directoryId}`),
    person: {
      directoryId,
      userName,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      jobTitle: 'Engineer',
      active: true,
      ...extra,
    },
  };
}

function ascii(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}

const GIVEN = [
  'Ada',
  'Grace',
  'Linus',
  'Barbara',
  'Margaret',
  'Élodie',
  'José',
  'Zoë',
  'Søren',
  'Håkon',
  'Chloé',
  'Noémie',
  'François',
  'Jürgen',
  'Ángel',
  'Björn',
  'Małgorzata',
  'Siobhán',
  'Thomas',
  'Camille',
  'Léa',
  'Hugo',
  'Inès',
  'Lucas',
  'Manon',
  'Nathan',
  'Emma',
  'Louis',
  'Jade',
  'Gabriel',
  'Sarah',
  'Arthur',
  'Alice',
  'Jules',
  'Lina',
];
const SURNAMES = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Liskov',
  'Hamilton',
  'Dupré',
  'Núñez',
  'Müller',
  'Kierkegaard',
  'Øvrebø',
  'Lefèvre',
  'Gärtner',
  'Rodríguez',
  'Nowak',
  'Ó Briain',
  'Martin',
  'Bernard',
  'Dubois',
  'Durand',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Garcia',
  'Roux',
  'Fournier',
  'Girard',
  'Bonnet',
  'Mercier',
  'Blanc',
];

/** `count` distinct people with realistic, accented names (deterministic). */
export function generatePeople(count: number): DirectoryEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const given = GIVEN[i % GIVEN.length]!;
    const surname = `${SURNAMES[Math.floor(i / GIVEN.length) % SURNAMES.length]!}${i > 1_000 ? ` ${i.toString(36)}` : ''}`;
    return person(`user-${i}`, given, surname, { jobTitle: i % 3 === 0 ? 'Sales' : 'Engineer' });
  });
}

/** Picker queries as people type them: name and e-mail prefixes, inner fragments, and misses (1 in 5). */
export function pickerQueries(people: readonly DirectoryEntry[], count: number): string[] {
  const queries: string[] = [];
  for (let i = 0; queries.length < count; i++) {
    const { person } = people[(i * 7_919) % people.length]!;
    const pick = i % 5;
    if (pick === 0) queries.push(person.givenName!.slice(0, 3 + (i % 4)));
    else if (pick === 1) queries.push(person.surname!.slice(0, 3 + (i % 5)).toUpperCase());
    else if (pick === 2) queries.push(person.userName.slice(0, 6 + (i % 8)));
    else if (pick === 3) queries.push(person.displayName!.slice(2, 7));
    else queries.push(`nobody ${i}`);
  }
  return queries;
}
