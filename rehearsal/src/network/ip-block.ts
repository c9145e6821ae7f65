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

/** Parses a CIDR, failing with the field it came from: a block we cannot read allows nothing. */
export function parseCidr(cidr: string, where: string): Range {
  try {
    const [address, bits] = ipaddr.parseCIDR(cidr);
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

export function inIpBlock(address: string, block: IpBlock, where = 'ipBlock'): boolean {
  const ip = parseAddress(address, where);
  if (!within(ip, parseCidr(block.cidr, `${where}.cidr`))) return false;
  return !(block.except ?? []).some((cidr, i) => within(ip, parseCidr(cidr, `${where}.except[${i}]`)));
}
