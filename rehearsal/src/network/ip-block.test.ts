import { describe, expect, it } from 'vitest';
import { inIpBlock } from './ip-block.js';

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
  it('what is not an address or a CIDR fails with where it came from', () => {
    expect(() => inIpBlock('300.1.1.1', internet, 'flow')).toThrow('flow: "300.1.1.1" is not an IP address');
    expect(() => inIpBlock('1.1.1.1', { cidr: '1.1.1.1' }, 'p')).toThrow('p.cidr: "1.1.1.1" is not a CIDR');
  });
});
