import { describe, expect, it } from 'vitest';
import { inIpBlock, parseIpBlock } from './ip-block.js';

describe('ipBlock with except', () => {
  const internet = {
    cidr: '0.0.0.0/0',
    except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16'],
  };
  it('a public address is inside, every excepted range outside (edges included)', () => {
    expect(inIpBlock('203.0.113.10', internet)).toBe(true);
    expect(inIpBlock('172.15.255.255', internet)).toBe(true);
    expect(inIpBlock('172.16.0.0', internet)).toBe(false);
    expect(inIpBlock('172.31.255.255', internet)).toBe(false);
    expect(inIpBlock('169.254.169.254', internet)).toBe(false);
    expect(inIpBlock('100.127.0.1', internet)).toBe(false);
  });
  it('families never mix; IPv4-mapped IPv6 addresses count as IPv4', () => {
    expect(inIpBlock('2001:db8::1', internet)).toBe(false);
    expect(inIpBlock('2001:db8::1', { cidr: '2001:db8::/64', except: ['2001:db8::/120'] })).toBe(false);
    expect(inIpBlock('2001:db8::1:1', { cidr: '2001:db8::/64', except: ['2001:db8::/120'] })).toBe(true);
    expect(inIpBlock('::ffff:10.1.2.3', internet)).toBe(false);
    expect(inIpBlock('::ffff:8.8.8.8', internet)).toBe(true);
    expect(inIpBlock('10.1.2.3', { cidr: '::ffff:10.0.0.0/104' })).toBe(true);
  });
  it('a block parsed once answers as the block itself', () => {
    const blocks = [
      internet,
      { cidr: '2001:db8::/64', except: ['2001:db8::/120'] },
      { cidr: '::ffff:10.0.0.0/104' },
    ];
    const addresses = [
      '203.0.113.10',
      '172.16.0.0',
      '2001:db8::1',
      '2001:db8::1:1',
      '::ffff:10.1.2.3',
      '10.1.2.3',
    ];
    for (const block of blocks) {
      const parsed = parseIpBlock(block);
      for (const address of addresses) expect(inIpBlock(address, parsed)).toBe(inIpBlock(address, block));
    }
    expect(() => parseIpBlock({ cidr: '10.0.0.0/8', except: ['10.1.0.0/33'] }, 'p')).toThrow(
      'p.except[0]: "10.1.0.0/33" is not a CIDR',
    );
  });
  it('what is not an address or a CIDR fails with where it came from', () => {
    expect(() => inIpBlock('300.1.1.1', internet, 'flow')).toThrow('flow: "300.1.1.1" is not an IP address');
    expect(() => inIpBlock('1.1.1.1', { cidr: '1.1.1.1' }, 'p')).toThrow('p.cidr: "1.1.1.1" is not a CIDR');
  });
});
