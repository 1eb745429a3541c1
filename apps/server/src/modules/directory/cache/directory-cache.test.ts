import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheTargets } from '../../../../../../test/support/redis';
import type { Cache } from '../../../platform/cache/cache';
import { createMemoryCache } from '../../../platform/cache/memory-cache';
import { DAY_MS, ManualClock } from '../../../platform/clock';
import type { DirectoryPerson } from '../types';
import { createDirectoryCache, DIRECTORY_TTL_MS } from './directory-cache';
import { generatePeople, person } from './test-people';

const clock = new ManualClock('2026-03-02T08:00:00.000Z');
const ada = person('oid-ada', 'Ada', 'Lovelace', { jobTitle: 'Analyst' });
const grace = person('oid-grace', 'Grace', 'Hopper');
const elodie = person('oid-elodie', 'Élodie', 'Dupré');
const everyone = [ada, grace, elodie];
const references = everyone.map((entry) => entry.reference);
const names = (found: Map<string, DirectoryPerson>) =>
  references.map((reference) => found.get(reference)?.displayName ?? 'Unknown employee');

describe.each(cacheTargets(clock))('directory cache on $name', (target) => {
  let cache: Cache | undefined;
  const org = () => randomUUID();
  const open = async (ttlMs = target.shortTtlMs) => {
    cache = await target.create();
    return createDirectoryCache({ cache, clock, ttlMs, chunkSize: 2 });
  };
  afterEach(async () => {
    await cache?.close();
    cache = undefined;
  });

  it('SEC-5: a full sync stores the people and lookups find them by reference', async () => {
    const directory = await open();
    const acme = org();
    expect(await directory.replaceAll(acme, everyone)).toEqual({ count: 3 });
    const found = await directory.lookup(acme, [...references, 'f'.repeat(64)]);
    expect(names(found)).toEqual(['Ada Lovelace', 'Grace Hopper', 'Élodie Dupré']);
    expect(found.get(ada.reference)).toEqual(ada.person);
    expect(found.has('f'.repeat(64))).toBe(false);
    expect(await directory.count(acme)).toBe(3);
    expect(await directory.lastRefreshedAt(acme)).toEqual(clock.now());
    expect((await directory.lookup(org(), references)).size).toBe(0);
  });

  it('SEC-6: a lookup late in the lifetime does not extend it; the names then expire', async () => {
    const directory = await open();
    const acme = org();
    const ttl = target.shortTtlMs;
    await directory.replaceAll(acme, everyone);
    await target.passTime(Math.floor(ttl * 0.6));
    expect(names(await directory.lookup(acme, references))).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Élodie Dupré',
    ]);
    expect((await directory.search(acme, 'lovel')).length).toBe(1);
    await target.passTime(Math.floor(ttl * 0.6));
    expect(names(await directory.lookup(acme, references))).toEqual(Array(3).fill('Unknown employee'));
    expect(await directory.search(acme, 'lovel')).toEqual([]);
    expect(await directory.count(acme)).toBe(0);
    expect(await directory.lastRefreshedAt(acme)).toBeNull();
  });

  it('SEC-6: reconnecting restores the names after they expired', async () => {
    const directory = await open();
    const acme = org();
    await directory.replaceAll(acme, everyone);
    await target.passTime(target.shortTtlMs + 50);
    expect((await directory.lookup(acme, references)).size).toBe(0);
    await directory.replaceAll(acme, everyone);
    expect(names(await directory.lookup(acme, references))).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Élodie Dupré',
    ]);
  });

  it('DIR-3: a delta sync applies upserts and removals and refreshes every entry', async () => {
    const directory = await open();
    const acme = org();
    const ttl = target.shortTtlMs;
    await directory.replaceAll(acme, everyone);
    await target.passTime(Math.floor(ttl * 0.6));
    const renamed = { ...ada, person: { ...ada.person, displayName: 'Ada King', surname: 'King' } };
    const linus = person('oid-linus', 'Linus', 'Torvalds');
    const result = await directory.apply(acme, {
      upserts: [renamed, linus],
      removedReferences: [grace.reference],
    });
    expect(result).toEqual({ count: 3, hadSnapshot: true });
    await target.passTime(Math.floor(ttl * 0.6));
    // 1.2 TTLs after the full sync, 0.6 after the delta: the untouched Élodie is alive too.
    const found = await directory.lookup(acme, [...references, linus.reference]);
    expect(
      [...references, linus.reference].map((r) => found.get(r)?.displayName ?? 'Unknown employee'),
    ).toEqual(['Ada King', 'Unknown employee', 'Élodie Dupré', 'Linus Torvalds']);
    expect((await directory.search(acme, 'king')).map((e) => e.reference)).toEqual([ada.reference]);
    expect(await directory.search(acme, 'hopper')).toEqual([]);
  });

  it('DIR-3: a sync without changes keeps every entry alive for another full lifetime', async () => {
    const directory = await open();
    const acme = org();
    const ttl = target.shortTtlMs;
    await directory.replaceAll(acme, everyone);
    await target.passTime(Math.floor(ttl * 0.6));
    expect(await directory.apply(acme, { upserts: [], removedReferences: [] })).toEqual({
      count: 3,
      hadSnapshot: true,
    });
    await target.passTime(Math.floor(ttl * 0.6));
    expect((await directory.lookup(acme, references)).size).toBe(3);
    await target.passTime(Math.floor(ttl * 0.6));
    expect((await directory.lookup(acme, references)).size).toBe(0);
  });

  it('DIR-3: a delta sync after the people expired says so, so the caller runs a full sync', async () => {
    const directory = await open();
    const acme = org();
    await directory.replaceAll(acme, everyone);
    await target.passTime(target.shortTtlMs + 50);
    const result = await directory.apply(acme, { upserts: [grace], removedReferences: [] });
    expect(result).toEqual({ count: 1, hadSnapshot: false });
  });

  it("DIR-3: another node sees a sync's new names; its index follows the new generation", async () => {
    const shared = await target.create();
    cache = shared;
    const nodeA = createDirectoryCache({ cache: shared, clock, ttlMs: target.shortTtlMs, chunkSize: 2 });
    const nodeB = createDirectoryCache({ cache: shared, clock, ttlMs: target.shortTtlMs, chunkSize: 2 });
    const acme = org();
    await nodeA.replaceAll(acme, everyone);
    expect((await nodeB.search(acme, 'hop')).map((e) => e.person.displayName)).toEqual(['Grace Hopper']);
    await nodeA.apply(acme, { upserts: [person('oid-grace', 'Grace', 'Brewster')], removedReferences: [] });
    expect((await nodeB.search(acme, 'hop')).map((e) => e.person.displayName)).toEqual([]);
    expect((await nodeB.lookup(acme, [grace.reference])).get(grace.reference)?.surname).toBe('Brewster');
  });

  it('SEC-5: forget drops an organization at once and leaves the others', async () => {
    const directory = await open();
    const [acme, globex] = [org(), org()];
    await directory.replaceAll(acme, everyone);
    await directory.replaceAll(globex, [ada]);
    await directory.forget(acme);
    expect((await directory.lookup(acme, references)).size).toBe(0);
    expect(await directory.count(acme)).toBe(0);
    expect(names(await directory.lookup(globex, references))).toEqual([
      'Ada Lovelace',
      'Unknown employee',
      'Unknown employee',
    ]);
  });

  it('DIR-3: search starts at 3 characters, ignores case and accents, ranks word prefixes first', async () => {
    const directory = await open();
    const acme = org();
    const people = [
      ...everyone,
      person('oid-mart', 'Martin', 'Dupont'),
      person('oid-tin', 'Valentin', 'Roux'),
      person('oid-ohm', 'Zoë', 'Moreau'),
      person('oid-amaro', 'Amaro', 'Silva'),
    ];
    await directory.replaceAll(acme, people);
    expect(await directory.search(acme, 'el')).toEqual([]);
    expect(await directory.search(acme, '  é ')).toEqual([]);
    expect((await directory.search(acme, 'ELO')).map((e) => e.person.displayName)).toEqual(['Élodie Dupré']);
    expect((await directory.search(acme, 'dupre')).map((e) => e.person.displayName)).toEqual([
      'Élodie Dupré',
    ]);
    expect((await directory.search(acme, 'zoe')).map((e) => e.person.displayName)).toEqual(['Zoë Moreau']);
    expect((await directory.search(acme, 'grace.hop')).map((e) => e.person.displayName)).toEqual([
      'Grace Hopper',
    ]);
    // "Amaro Silva" sorts first but only contains "mar": the word prefix ranks ahead of it.
    expect((await directory.search(acme, 'mar')).map((e) => e.person.displayName)).toEqual([
      'Martin Dupont',
      'Amaro Silva',
    ]);
    expect((await directory.search(acme, 'tin')).map((e) => e.person.displayName)).toEqual([
      'Martin Dupont',
      'Valentin Roux',
    ]);
    expect((await directory.search(acme, 'dup')).map((e) => e.person.displayName)).toEqual([
      'Élodie Dupré',
      'Martin Dupont',
    ]);
    expect((await directory.search(acme, 'example.com')).length).toBe(7);
    expect((await directory.search(acme, 'example.com', 4)).length).toBe(4);
  });

  it('SEC-5: values hold only the SEC-5 fields, whatever the connector passed along', async () => {
    const written: string[] = [];
    const inner = await target.create();
    cache = inner;
    const spy: Cache = {
      ...inner,
      set(key, value, ttl) {
        written.push(value);
        return inner.set(key, value, ttl);
      },
    };
    const directory = createDirectoryCache({ cache: spy, clock, ttlMs: target.shortTtlMs });
    const leaky = { ...ada.person, mobilePhone: '+33 6 12 34 56 78', department: 'Secret lab' };
    await directory.replaceAll(org(), [{ reference: ada.reference, person: leaky }]);
    const chunk = written.map((value) => JSON.parse(value)).find(Array.isArray) ?? [];
    expect(chunk).toHaveLength(1);
    expect(Object.keys(chunk[0].person).sort()).toEqual(
      ['active', 'directoryId', 'displayName', 'givenName', 'jobTitle', 'surname', 'userName'].sort(),
    );
    expect(written.join('\n')).not.toMatch(/mobilePhone|12 34|Secret lab/);
  });
});

describe('directory cache on memory, to the millisecond', () => {
  const openMemory = (at: ManualClock) =>
    createDirectoryCache({ cache: createMemoryCache({ clock: at }), clock: at });

  it('SEC-6: names resolve at 14 days − 1 ms and are unknown at 14 days + 1 ms; a day-13 read changes nothing', async () => {
    const at = new ManualClock('2026-03-02T08:00:00.000Z');
    const directory = openMemory(at);
    const acme = randomUUID();
    await directory.replaceAll(acme, everyone);
    at.advance(13 * DAY_MS);
    expect((await directory.lookup(acme, references)).size).toBe(3);
    expect((await directory.search(acme, 'grace')).length).toBe(1);
    at.advance(DAY_MS - 1);
    expect(names(await directory.lookup(acme, references))).toEqual([
      'Ada Lovelace',
      'Grace Hopper',
      'Élodie Dupré',
    ]);
    at.advance(2);
    expect(names(await directory.lookup(acme, references))).toEqual(Array(3).fill('Unknown employee'));
    expect(await directory.count(acme)).toBe(0);
  });

  it('DIR-3: the lifetime counts from the last successful sync, delta or full', async () => {
    const at = new ManualClock('2026-03-02T08:00:00.000Z');
    const directory = openMemory(at);
    const acme = randomUUID();
    await directory.replaceAll(acme, everyone);
    at.advance(10 * DAY_MS);
    await directory.apply(acme, { upserts: [], removedReferences: [] });
    expect(await directory.lastRefreshedAt(acme)).toEqual(at.now());
    at.advance(DIRECTORY_TTL_MS);
    expect((await directory.lookup(acme, references)).size).toBe(3);
    at.advance(1);
    expect((await directory.lookup(acme, references)).size).toBe(0);
  });

  it('SEC-6: refuses a reference that is not an HMAC in hex', async () => {
    const directory = openMemory(new ManualClock());
    await expect(
      directory.replaceAll(randomUUID(), [{ ...ada, reference: 'ada@example.com' }]),
    ).rejects.toThrow(TypeError);
  });

  it('DIR-3: a full sync of 1,005 people round-trips through ~1,000-entry chunks to another node', async () => {
    const at = new ManualClock();
    const shared = createMemoryCache({ clock: at });
    const writer = createDirectoryCache({ cache: shared, clock: at });
    const reader = createDirectoryCache({ cache: shared, clock: at });
    const acme = randomUUID();
    const people = generatePeople(1_005);
    await writer.replaceAll(acme, people);
    const found = await reader.lookup(
      acme,
      people.map((entry) => entry.reference),
    );
    expect(found.size).toBe(1_005);
    expect(found.get(people[1_004]!.reference)).toEqual(people[1_004]!.person);
    expect(await reader.count(acme)).toBe(1_005);
  });
});
