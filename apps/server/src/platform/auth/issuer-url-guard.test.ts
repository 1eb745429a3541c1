import type { LookupAddress } from 'node:dns';
import { ErrorCode } from '@thestorage/contracts';
import { describe, expect, it } from 'vitest';
import { AppError } from '../http/errors';
import { assertPublicHttpsUrl, isPublicAddress, publicOnlyLookup, type ResolveAll } from './issuer-url-guard';

const PUBLIC_V4 = '93.184.215.14';
const PUBLIC_V6 = '2606:2800:21f:cb07:6820:80da:af6b:8b2c';

/** A resolver that answers from a table, so no test depends on real DNS. */
function resolver(table: Record<string, string[]>): ResolveAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

async function refusal(url: string, lookup: ResolveAll = resolver({})): Promise<AppError> {
  const error = await assertPublicHttpsUrl(url, { lookup }).then(
    () => {
      throw new Error(`${url} was accepted`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCode.ValidationFailed);
  return error as AppError;
}

describe('URLs a tenant configures', () => {
  it('SEC-3: accepts an https issuer whose every address is public', async () => {
    const lookup = resolver({ 'login.example.com': [PUBLIC_V4, PUBLIC_V6] });
    const url = await assertPublicHttpsUrl('https://login.example.com/realms/acme', { lookup });
    expect(url.href).toBe('https://login.example.com/realms/acme');
    expect((await assertPublicHttpsUrl(`https://${PUBLIC_V4}/`, { lookup })).hostname).toBe(PUBLIC_V4);
  });

  it('SEC-3: refuses http, credentials in the URL and text that is not a URL', async () => {
    expect((await refusal('http://login.example.com/')).message).toMatch(/https:\/\//);
    expect((await refusal('https://user:secret@login.example.com/')).message).toMatch(
      /user name or password/,
    );
    expect((await refusal('https://user:secret@login.example.com/')).message).not.toContain('secret');
    expect((await refusal('not a url')).message).toMatch(/not a valid URL/);
  });

  it.each([
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.1', 'loopback, short form'],
    ['2130706433', 'loopback, decimal form'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['[::1]', 'IPv6 loopback'],
    ['[::]', 'IPv6 unspecified'],
    ['[fd12:3456::1]', 'IPv6 unique local'],
    ['[fe80::1]', 'IPv6 link-local'],
    ['[ff02::1]', 'IPv6 multicast'],
    ['[::ffff:127.0.0.1]', 'IPv4-mapped loopback'],
    ['[::ffff:10.0.0.1]', 'IPv4-mapped private'],
  ])('SEC-3: refuses the IP literal %s (%s)', async (host) => {
    const error = await refusal(`https://${host}/`);
    expect(error.message).toMatch(/private, loopback or link-local/);
  });

  it('SEC-3: refuses a name that resolves to loopback (localtest.me style)', async () => {
    const error = await refusal('https://localtest.me/', resolver({ 'localtest.me': ['127.0.0.1'] }));
    expect(error.message).toContain('localtest.me resolves to 127.0.0.1');
  });

  it('SEC-3: refuses a name when any one of its addresses is private', async () => {
    const lookup = resolver({ 'mixed.example.com': [PUBLIC_V4, PUBLIC_V6, 'fd00::5'] });
    const error = await refusal('https://mixed.example.com/', lookup);
    expect(error.message).toContain('fd00::5');
  });

  it('SEC-3: refuses a name that does not resolve', async () => {
    expect((await refusal('https://nowhere.example.com/')).message).toMatch(/could not be resolved/);
  });

  it('SEC-3: public addresses pass, IPv4-mapped public ones too', () => {
    expect(isPublicAddress(PUBLIC_V4)).toBe(true);
    expect(isPublicAddress(PUBLIC_V6)).toBe(true);
    expect(isPublicAddress(`::ffff:${PUBLIC_V4}`)).toBe(true);
    expect(isPublicAddress('not-an-ip')).toBe(false);
  });

  it('SEC-3: the socket lookup refuses a name re-pointed at an internal address after the check', async () => {
    const lookup = publicOnlyLookup(
      resolver({ 'rebind.example.com': ['169.254.169.254'], 'ok.example.com': [PUBLIC_V4] }),
    );
    const answer = (host: string) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((resolve) =>
        lookup(host, {}, (error, address) => resolve({ error, address })),
      );
    expect((await answer('rebind.example.com')).error?.message).toMatch(/public address/);
    expect(await answer('ok.example.com')).toEqual({ error: null, address: PUBLIC_V4 });
  });
});
