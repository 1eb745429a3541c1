import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { cacheTargets } from '../../../../../../test/support/redis';
import { ManualClock } from '../../../platform/clock';
import { createDirectoryCache, DIRECTORY_TTL_MS } from './directory-cache';
import { generatePeople, pickerQueries } from './test-people';

const clock = new ManualClock();
const people = generatePeople(100_000);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

// Speed is measured, not asserted (the benchmark reports it); the test proves the answers at this size.
describe.each(cacheTargets(clock))('directory picker with 100,000 employees on $name', (target) => {
  it('DIR-3: finds people among 100,000 cached employees (prints sync time and search p95)', async () => {
    const cache = await target.create();
    try {
      // Long enough to outlast the run on Redis, where time is real.
      const ttlMs = target.name === 'memory' ? DIRECTORY_TTL_MS : 120_000;
      const directory = createDirectoryCache({ cache, clock, ttlMs });
      const org = randomUUID();
      let started = performance.now();
      await directory.replaceAll(org, people);
      const syncMs = performance.now() - started;

      // Another node: its first search rebuilds the index from the cache.
      const node = createDirectoryCache({ cache, clock, ttlMs });
      started = performance.now();
      expect((await node.search(org, 'lovelace', 5)).length).toBe(5);
      const rebuildMs = performance.now() - started;

      const timings: number[] = [];
      let answered = 0;
      for (const query of pickerQueries(people, 1_000)) {
        started = performance.now();
        const found = await node.search(org, query);
        timings.push(performance.now() - started);
        if (found.length > 0) answered++;
      }
      timings.sort((a, b) => a - b);
      const p50 = percentile(timings, 0.5);
      const p95 = percentile(timings, 0.95);
      console.info(
        `[directory picker, ${target.name}] 100,000 employees: replaceAll ${syncMs.toFixed(0)} ms, ` +
          `index rebuild on another node ${rebuildMs.toFixed(0)} ms, 1,000 searches p50 ${p50.toFixed(3)} ms, ` +
          `p95 ${p95.toFixed(3)} ms, max ${timings.at(-1)!.toFixed(3)} ms`,
      );
      expect(answered).toBe(800);
      expect(await node.count(org)).toBe(100_000);
      const found = await node.lookup(org, [people[99_999]!.reference]);
      expect(found.get(people[99_999]!.reference)).toEqual(people[99_999]!.person);
    } finally {
      await cache.close();
    }
  });
});
