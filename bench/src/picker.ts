import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createDirectoryCache } from '../../apps/server/src/modules/directory/cache/directory-cache';
import type { DirectoryEntry } from '../../apps/server/src/modules/directory/cache/directory-entry';
import { generatePeople, pickerQueries } from '../../apps/server/src/modules/directory/cache/test-people';
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
