import { describe, expect, it } from 'vitest';
import { type Lookup, resolveTarget, TargetRefusedError } from './target.js';

/** A resolver for names under .test that we control, as a malicious DNS server would be. */
const fakeDns: Lookup = async (host) => {
  const table: Record<string, { address: string; family: 4 | 6 }[]> = {
    'internal.test': [{ address: '10.0.0.5', family: 4 }],
    'metadata.test': [{ address: '169.254.169.254', family: 4 }],
    'mixed.test': [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
    'public.test': [{ address: '93.184.215.14', family: 4 }],
  };
  const hit = table[host];
  if (!hit) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return hit;
};

async function refusal(url: string, lookup?: Lookup): Promise<string> {
  const err = await resolveTarget(url, { allowPrivateTargets: false, ...(lookup ? { lookup } : {}) }).catch(
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TargetRefusedError);
  return (err as Error).message;
}

describe('resolveTarget (SSRF guard)', () => {
  it.each([
    ['http://127.0.0.1:3003/hooks', 'loopback'],
    ['http://10.1.2.3/hooks', 'private'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['http://[fd12::1]/', 'unique local'],
  ])('refuses the literal target %s', async (url, reason) => {
    expect(await refusal(url)).toContain(reason);
  });

  it('refuses a hostname that really resolves to loopback (localhost via /etc/hosts)', async () => {
    expect(await refusal('http://localhost:3003/')).toMatch(/localhost \(resolves to (127\.0\.0\.1|::1)\)/);
  });

  it.each([
    ['https://internal.test/hook', '10.0.0.5 is private'],
    ['https://metadata.test/', '169.254.169.254 is link-local'],
    ['https://mixed.test/', '127.0.0.1 is loopback'],
  ])('refuses %s by its resolved address', async (url, reason) => {
    expect(await refusal(url, fakeDns)).toContain(reason);
  });

  it('pins a public hostname to the address it checked', async () => {
    const target = await resolveTarget('https://public.test/hook', {
      allowPrivateTargets: false,
      lookup: fakeDns,
    });
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('public.test');
  });

  it('refuses other schemes, credentials and garbage', async () => {
    expect(await refusal('ftp://public.test/')).toContain('unsupported scheme ftp:');
    expect(await refusal('https://user:pw@public.test/', fakeDns)).toContain('credentials');
    expect(await refusal('not a url')).toContain('invalid URL');
  });

  it('lets DNS failures through as ordinary (retryable) errors', async () => {
    const err = await resolveTarget('https://nxdomain.test/', {
      allowPrivateTargets: false,
      lookup: fakeDns,
    }).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(TargetRefusedError);
    expect((err as Error).message).toContain('ENOTFOUND');
  });

  it('allows private targets only when explicitly configured', async () => {
    const target = await resolveTarget('http://127.0.0.1:3003/', { allowPrivateTargets: true });
    expect(target.address).toBe('127.0.0.1');
  });
});
