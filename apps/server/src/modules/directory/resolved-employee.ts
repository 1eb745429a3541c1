import { type ResolvedEmployee, UNKNOWN_EMPLOYEE } from '@thestorage/contracts';
import type { DirectoryPerson } from './types';

/** A reference as a page shows it: the cached person, or "Unknown employee" once the cache forgot them. */
export function resolvedEmployee(reference: string, person: DirectoryPerson | undefined): ResolvedEmployee {
  if (!person) {
    return {
      reference,
      known: false,
      displayName: UNKNOWN_EMPLOYEE,
      userName: null,
      jobTitle: null,
      active: null,
    };
  }
  return {
    reference,
    known: true,
    displayName: person.displayName || person.userName,
    userName: person.userName,
    jobTitle: person.jobTitle,
    active: person.active,
  };
}
