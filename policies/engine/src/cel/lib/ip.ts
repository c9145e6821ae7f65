import { isIP } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';

/**
 * Kubernetes CEL IP and CIDR libraries (canonical addresses only, no IPv4-mapped IPv6 or zones,
 * as Kubernetes' strict parsing requires).
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-ip-address-library
 */
export class IpAddr {
  constructor(
    readonly family: 4 | 6,
    readonly value: bigint,
  ) {}

  static parse(text: string): IpAddr {
    const fam = isIP(text);
    if (fam === 0 || text.includes('%') || /^::ffff:\d+\./i.test(text))
      throw new Error(`IP Address "${text}" parse error`);
    if (fam === 4) {
      if (text.split('.').some((o) => o.length > 1 && o.startsWith('0')))
        throw new Error(`IP Address "${text}" parse error`);
      return new IpAddr(
        4,
        text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(o), 0n),
      );
    }
    const [head, tail = ''] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = text.includes('::') ? (tail ? tail.split(':') : []) : [];
    const groups = text.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    return new IpAddr(
      6,
      groups.reduce((acc, g) => (acc << 16n) | BigInt(`0x${g}`), 0n),
    );
  }

  bits(): number {
    return this.family === 4 ? 32 : 128;
  }

  toString(): string {
    if (this.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((this.value >> s) & 255n)).join('.');
    const groups = Array.from({ length: 8 }, (_, i) =>
      ((this.value >> BigInt(112 - i * 16)) & 0xffffn).toString(16),
    );
    // RFC 5952 §4.2: compress the longest run (≥ 2) of zero groups, the first one on a tie.
    let best = -1;
    let bestLen = 1;
    for (let i = 0; i < 8; i++) {
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen) [best, bestLen] = [i, j - i];
    }
    if (best < 0) return groups.join(':');
    return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  }
}

export class Cidr {
  constructor(
    readonly ip: IpAddr,
    readonly prefix: number,
  ) {}

  static parse(text: string): Cidr {
    const [addr, len] = text.split('/');
    if (len === undefined || !/^\d+$/.test(len))
      throw new Error(`network address parse error during conversion from string: ${text}`);
    const ip = IpAddr.parse(addr!);
    const prefix = Number(len);
    if (prefix > ip.bits())
      throw new Error(`network address parse error during conversion from string: ${text}`);
    return new Cidr(ip, prefix);
  }

  mask(): bigint {
    const bits = BigInt(this.ip.bits());
    return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(this.prefix))) - 1n);
  }

  containsIp(ip: IpAddr): boolean {
    return ip.family === this.ip.family && (ip.value & this.mask()) === (this.ip.value & this.mask());
  }

  masked(): Cidr {
    return new Cidr(new IpAddr(this.ip.family, this.ip.value & this.mask()), this.prefix);
  }
}

const ok = (fn: () => unknown) => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

export function registerIp(env: Environment): void {
  env
    .registerType('net.IP', IpAddr)
    .registerType('net.CIDR', Cidr)
    .registerFunction('ip(string): net.IP', (s: string) => IpAddr.parse(s))
    .registerFunction('isIP(string): bool', (s: string) => ok(() => IpAddr.parse(s)))
    .registerFunction('net.IP.family(): int', (ip: IpAddr) => BigInt(ip.family))
    .registerFunction('net.IP.isUnspecified(): bool', (ip: IpAddr) => ip.value === 0n)
    .registerFunction('net.IP.isLoopback(): bool', (ip: IpAddr) =>
      ip.family === 4 ? ip.value >> 24n === 127n : ip.value === 1n,
    )
    .registerFunction('net.IP.string(): string', (ip: IpAddr) => ip.toString())
    .registerFunction('cidr(string): net.CIDR', (s: string) => Cidr.parse(s))
    .registerFunction('isCIDR(string): bool', (s: string) => ok(() => Cidr.parse(s)))
    .registerFunction('net.CIDR.containsIP(string): bool', (c: Cidr, s: string) =>
      c.containsIp(IpAddr.parse(s)),
    )
    .registerFunction('net.CIDR.containsIP(net.IP): bool', (c: Cidr, ip: IpAddr) => c.containsIp(ip))
    .registerFunction('net.CIDR.containsCIDR(string): bool', (c: Cidr, s: string) => {
      const o = Cidr.parse(s);
      return o.prefix >= c.prefix && c.containsIp(o.ip);
    })
    .registerFunction('net.CIDR.ip(): net.IP', (c: Cidr) => c.ip)
    .registerFunction('net.CIDR.masked(): net.CIDR', (c: Cidr) => c.masked())
    .registerFunction('net.CIDR.prefixLength(): int', (c: Cidr) => BigInt(c.prefix))
    .registerFunction('net.CIDR.string(): string', (c: Cidr) => `${c.ip.toString()}/${c.prefix}`);
}
