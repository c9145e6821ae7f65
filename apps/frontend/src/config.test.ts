import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const secret = 's'.repeat(32);

describe('loadConfig', () => {
  it('applies defaults', () => {
    const c = loadConfig({ SESSION_SECRET: secret });
    expect(c).toMatchObject({
      port: 3001,
      host: '127.0.0.1',
      apiUrl: 'http://127.0.0.1:3000',
      sessionSecrets: [secret],
      cookieSecure: true,
      loginMaxFailures: 5,
      version: 'dev',
    });
  });

  it('reads overrides and rotation secrets', () => {
    const c = loadConfig({
      SESSION_SECRET: `${secret}, ${'t'.repeat(40)}`,
      FRONTEND_PORT: '8080',
      API_URL: 'http://api:3000/',
      COOKIE_SECURE: 'false',
      APP_VERSION: '1.2.3',
    });
    expect(c.port).toBe(8080);
    expect(c.apiUrl).toBe('http://api:3000');
    expect(c.sessionSecrets).toHaveLength(2);
    expect(c.cookieSecure).toBe(false);
    expect(c.version).toBe('1.2.3');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        SESSION_SECRET: 'short',
        FRONTEND_PORT: 'http',
        API_URL: 'ftp://x',
        COOKIE_SECURE: 'maybe',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/FRONTEND_PORT/);
    expect(problems).toMatch(/API_URL/);
    expect(problems).toMatch(/SESSION_SECRET.*at least 32 characters/);
    expect(problems).toMatch(/COOKIE_SECURE/);
  });

  it('requires SESSION_SECRET', () => {
    expect(() => loadConfig({})).toThrow(/SESSION_SECRET is required/);
  });
});
