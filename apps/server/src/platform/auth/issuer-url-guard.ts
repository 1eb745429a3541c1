import { promises as dns, type LookupAddress } from 'node:dns';
import net from 'node:net';
import { ErrorCode } from '@thestorage/contracts';
import { AppError } from '../http/errors';

export type ResolveAll = (hostname: string, options: { all: true }) => Promise<LookupAddress[]>;

/** Addresses a URL a tenant types may never reach: this host, its network, the cloud metadata service. */
const NOT_PUBLIC = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", 0.0.0.0 included
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast included
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['100::', 64], // discard
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // old site-local
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are checked against the IPv4 ranges by BlockList itself. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * For URLs a tenant configures (identity-provider issuers, later webhooks): https only, no credentials,
 * and neither the host nor any address it resolves to may be private, loopback, link-local,
 * unspecified or multicast. Returns the parsed URL.
 */
export async function assertPublicHttpsUrl(
  url: string,
  { lookup = dns.lookup as ResolveAll }: { lookup?: ResolveAll } = {},
): Promise<URL> {
  const refuse = (why: string) =>
    new AppError(ErrorCode.ValidationFailed, `The address ${describe(url)} is not allowed: ${why}.`, {
      details: { url: describe(url) },
    });
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('it is not a valid URL');
  }
  if (parsed.protocol !== 'https:') throw refuse('it must start with https://');
  if (parsed.username || parsed.password) throw refuse('it may not contain a user name or password');

  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  if (net.isIP(host)) {
    if (!isPublicAddress(host)) throw refuse('it points at a private, loopback or link-local address');
    return parsed;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host, { all: true });
  } catch {
    throw refuse(`the host name ${host} could not be resolved`);
  }
  if (addresses.length === 0) throw refuse(`the host name ${host} could not be resolved`);
  const privateOne = addresses.find((entry) => !isPublicAddress(entry.address));
  if (privateOne) {
    throw refuse(`${host} resolves to ${privateOne.address}, a private, loopback or link-local address`);
  }
  return parsed;
}

/**
 * A `lookup` for sockets that refuses non-public answers, so a host name cannot be re-pointed at an
 * internal address after it was checked (DNS rebinding).
 */
export function publicOnlyLookup(resolve: ResolveAll = dns.lookup as ResolveAll): net.LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { all: true })
      .then((addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = addresses.filter((entry) => wanted === undefined || entry.family === wanted);
        const refused = usable.find((entry) => !isPublicAddress(entry.address));
        if (usable.length === 0 || refused) {
          const error = Object.assign(new Error(`${hostname} does not resolve to a public address`), {
            code: 'ENOTFOUND',
          });
          callback(error, '', 0);
          return;
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, '', 0));
  };
}

/** Without query or fragment: those may hold secrets (webhook tokens). */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.length > 200 ? `${url.slice(0, 200)}…` : url;
  }
}
