import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import type { DirectoryEntry } from '../../apps/server/src/modules/directory/cache/directory-entry';
import { generatePeople } from '../../apps/server/src/modules/directory/cache/test-people';
import { createMemoryCache } from '../../apps/server/src/platform/cache/memory-cache';
import { systemClock } from '../../apps/server/src/platform/clock';
import { percentile, round, timeEach } from './stats';

export interface PickerFigure {
  employees: number;
  searches: number;
  p50Ms: number;
  p95Ms: number;
  /** Baseline: the same searches as a plain scan over every cached person (no index). */
  scanP95Ms: number;
  /** scanP95Ms / p95Ms: what the index buys. */
  ratio: number;
  /** Writing the people into the cache (a full sync's last step), and the index rebuild on another node. */
  replaceAllMs: number;
  rebuildMs: number;
}

/** Picker queries as people type them: name and e-mail prefixes, inner fragments, and misses. */
function pickerQueries(people: readonly DirectoryEntry[], count: number): string[] {
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

/** The naive picker: lower-case "contains" over every person, first 20 matches. */
function scan(people: readonly DirectoryEntry[], query: string): DirectoryEntry[] {
  const needle = query.toLowerCase();
  const found: DirectoryEntry[] = [];
  for (const entry of people) {
    const p = entry.person;
    if ((p.displayName ?? '').toLowerCase().includes(needle) || p.userName.toLowerCase().includes(needle)) {
      found.push(entry);
      if (found.length === 20) break;
    }
  }
  return found;
}

/** DIR-3 / SPEC 9: the assign picker over the in-process 14-day cache (target: p95 under 10 ms). */
export async function benchPicker(employees: number, searches = 1_000): Promise<PickerFigure> {
  const people = generatePeople(employees);
  const cache = createMemoryCache({ clock: systemClock });
  try {
    const directory = createDirectoryCache({ cache, clock: systemClock });
    const org = randomUUID();
    let started = performance.now();
    await directory.replaceAll(org, people);
    const replaceAllMs = performance.now() - started;

    const other = createDirectoryCache({ cache, clock: systemClock });
    started = performance.now();
    await other.search(org, 'lovelace', 5);
    const rebuildMs = performance.now() - started;

    const queries = pickerQueries(people, searches);
    // One warm-up round, so the figures are of the steady state rather than of the JIT.
    for (const query of queries.slice(0, 100)) await other.search(org, query);
    const indexed = await timeEach(queries, (query) => other.search(org, query));
    const scanned = await timeEach(queries, (query) => scan(people, query));
    const p95Ms = percentile(indexed, 0.95);
    const scanP95Ms = percentile(scanned, 0.95);
    return {
      employees,
      searches,
      p50Ms: round(percentile(indexed, 0.5)),
      p95Ms: round(p95Ms),
      scanP95Ms: round(scanP95Ms),
      ratio: round(scanP95Ms / p95Ms, 1),
      replaceAllMs: Math.round(replaceAllMs),
      rebuildMs: Math.round(rebuildMs),
    };
  } finally {
    await cache.close();
  }
}
