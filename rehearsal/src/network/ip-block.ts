/**
 * `ipBlock` peers: an address matches when it lies in `cidr` and in none of `except`
 * (networking.k8s.io/v1 IPBlock; Kubernetes docs, concepts/services-networking/network-policies,
 * "Behavior of to and from selectors"). CIDR arithmetic is ipaddr.js's; an IPv4 address never
 * matches an IPv6 block and the reverse (IPv4-mapped IPv6 addresses are compared as IPv4).
 */
import ipaddr from 'ipaddr.js';

export interface IpBlock {
  cidr: string;
  except?: string[];
}

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** A block read once: its range and the ranges it excepts. */
export interface ParsedIpBlock {
  cidr: Range;
  except: Range[];
}

/** Parses a CIDR, failing with the field it came from: a block we cannot read allows nothing. */
export function parseCidr(cidr: string, where: string): Range {
  try {
    // ipaddr.parseCIDR tries IPv6 first and throws before it tries IPv4: every IPv4 block paid
    // for a thrown error. An IPv6 CIDR always holds a colon and an IPv4 one never does, so the
    // right parser is known up front and the result is the same.
    const [address, bits] = cidr.includes(':') ? ipaddr.IPv6.parseCIDR(cidr) : ipaddr.IPv4.parseCIDR(cidr);
    return [
      normal(address),
      address.kind() === 'ipv6' && normal(address).kind() === 'ipv4' ? bits - 96 : bits,
    ];
  } catch {
    throw new Error(`${where}: "${cidr}" is not a CIDR`);
  }
}

export function parseAddress(address: string, where: string): ipaddr.IPv4 | ipaddr.IPv6 {
  if (!ipaddr.isValid(address)) throw new Error(`${where}: "${address}" is not an IP address`);
  return normal(ipaddr.parse(address));
}

function normal(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()
    ? (address as ipaddr.IPv6).toIPv4Address()
    : address;
}

function within(address: ipaddr.IPv4 | ipaddr.IPv6, range: Range): boolean {
  return address.kind() === range[0].kind() && address.match(range);
}

/** A block's ranges, parsed once (a NetworkPolicy's peers are read once, then matched many times). */
export function parseIpBlock(block: IpBlock, where = 'ipBlock'): ParsedIpBlock {
  return {
    cidr: parseCidr(block.cidr, `${where}.cidr`),
    except: (block.except ?? []).map((cidr, i) => parseCidr(cidr, `${where}.except[${i}]`)),
  };
}

export function inIpBlock(address: string, block: IpBlock | ParsedIpBlock, where = 'ipBlock'): boolean {
  const ip = parseAddress(address, where);
  if (typeof block.cidr !== 'string') {
    const parsed = block as ParsedIpBlock;
    return within(ip, parsed.cidr) && !parsed.except.some((range) => within(ip, range));
  }
  const raw = block as IpBlock;
  if (!within(ip, parseCidr(raw.cidr, `${where}.cidr`))) return false;
  return !(raw.except ?? []).some((cidr, i) => within(ip, parseCidr(cidr, `${where}.except[${i}]`)));
}
