import { describe, expect, it } from 'vitest';
import { EnvError, loadEnv } from './config.js';

describe('loadEnv', () => {
  it('applies defaults', () => {
    const env = loadEnv({ DATABASE_URL: 'postgres://u:p@db:5432/payday' });
    expect(env).toMatchObject({
      API_PORT: 3000,
      API_HOST: '127.0.0.1',
      APP_VERSION: 'dev',
      SHUTDOWN_DELAY_MS: 0,
      LOG_LEVEL: 'info',
    });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
  });

  it('names every bad variable at once, without printing the database password', () => {
    let error: unknown;
    try {
      loadEnv({ DATABASE_URL: 'mysql://u:hunter2@db/x', API_PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).message).toBe(
      [
        'invalid API configuration:',
        '  - DATABASE_URL: must be a postgres:// URL (got "mysql://u:***@db/x")',
        '  - API_PORT: Invalid input: expected number, received NaN (got "eighty")',
        '  - LOG_LEVEL: Invalid option: expected one of "fatal"|"error"|"warn"|"info"|"debug"|"trace"|"silent" (got "loud")',
      ].join('\n'),
    );
    expect(() => loadEnv({})).toThrow('  - DATABASE_URL: is required');
  });
});
