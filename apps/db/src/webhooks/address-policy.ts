/**
 * Which IP addresses a webhook may be sent to. Merchants choose webhook URLs, so without this
 * check a merchant could make our worker call the cloud metadata service (169.254.169.254),
 * the cluster's own services or localhost (server-side request forgery, OWASP SSRF Prevention
 * Cheat Sheet). The ranges are IANA's special-purpose registries (RFC 6890, RFC 5735, RFC 4291).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

interface Range {
  network: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
  reason: string;
}

const RANGES: readonly Range[] = [
  { network: '0.0.0.0', prefix: 8, family: 'ipv4', reason: '"this network" (RFC 791)' },
  { network: '10.0.0.0', prefix: 8, family: 'ipv4', reason: 'private (RFC 1918)' },
  { network: '100.64.0.0', prefix: 10, family: 'ipv4', reason: 'carrier-grade NAT (RFC 6598)' },
  { network: '127.0.0.0', prefix: 8, family: 'ipv4', reason: 'loopback (RFC 1122)' },
  {
    network: '169.254.0.0',
    prefix: 16,
    family: 'ipv4',
    reason: 'link-local, incl. cloud metadata (RFC 3927)',
  },
  { network: '172.16.0.0', prefix: 12, family: 'ipv4', reason: 'private (RFC 1918)' },
  { network: '192.0.0.0', prefix: 24, family: 'ipv4', reason: 'IETF protocol assignments (RFC 6890)' },
  { network: '192.0.2.0', prefix: 24, family: 'ipv4', reason: 'documentation (RFC 5737)' },
  { network: '192.168.0.0', prefix: 16, family: 'ipv4', reason: 'private (RFC 1918)' },
  { network: '198.18.0.0', prefix: 15, family: 'ipv4', reason: 'benchmarking (RFC 2544)' },
  { network: '198.51.100.0', prefix: 24, family: 'ipv4', reason: 'documentation (RFC 5737)' },
  { network: '203.0.113.0', prefix: 24, family: 'ipv4', reason: 'documentation (RFC 5737)' },
  { network: '224.0.0.0', prefix: 4, family: 'ipv4', reason: 'multicast (RFC 5771)' },
  { network: '240.0.0.0', prefix: 4, family: 'ipv4', reason: 'reserved and broadcast (RFC 1112)' },
  { network: '::', prefix: 128, family: 'ipv6', reason: 'unspecified (RFC 4291)' },
  { network: '::1', prefix: 128, family: 'ipv6', reason: 'loopback (RFC 4291)' },
  // Refused outright rather than unwrapped: a mapped address reaches the IPv4 host behind it.
  { network: '::ffff:0:0', prefix: 96, family: 'ipv6', reason: 'IPv4-mapped (RFC 4291)' },
  { network: '64:ff9b::', prefix: 96, family: 'ipv6', reason: 'NAT64 (RFC 6052)' },
  { network: '64:ff9b:1::', prefix: 48, family: 'ipv6', reason: 'local NAT64 (RFC 8215)' },
  { network: '100::', prefix: 64, family: 'ipv6', reason: 'discard-only (RFC 6666)' },
  { network: '2001:db8::', prefix: 32, family: 'ipv6', reason: 'documentation (RFC 3849)' },
  { network: '2002::', prefix: 16, family: 'ipv6', reason: '6to4, may embed a private IPv4 (RFC 3056)' },
  { network: 'fc00::', prefix: 7, family: 'ipv6', reason: 'unique local (RFC 4193)' },
  { network: 'fe80::', prefix: 10, family: 'ipv6', reason: 'link-local (RFC 4291)' },
  { network: 'fec0::', prefix: 10, family: 'ipv6', reason: 'site-local, deprecated (RFC 3879)' },
  { network: 'ff00::', prefix: 8, family: 'ipv6', reason: 'multicast (RFC 4291)' },
];

const lists = RANGES.map((r) => {
  const list = new BlockList();
  list.addSubnet(r.network, r.prefix, r.family);
  return { list, range: r };
});

/**
 * Why `address` must not be a webhook target, or `undefined` when it is a public unicast
 * address. Anything that is not a valid IP literal is refused too.
 */
export function forbiddenAddressReason(address: string): string | undefined {
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  if (!family) return 'not an IP address';
  // BlockList matches an IPv4-mapped IPv6 address against IPv4 rules too; we keep families apart
  // so that "::ffff:8.8.8.8" is reported (and refused) as IPv4-mapped.
  const hit = lists.find(({ list, range }) => range.family === family && list.check(address, family));
  return hit ? `${address} is ${hit.range.reason}` : undefined;
}
