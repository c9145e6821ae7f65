/**
 * Configuration from the environment, validated once at startup (twelve-factor III): a bad value
 * stops the process with one line per problem instead of failing on the first request.
 */
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  FRONTEND_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  /**
   * Interface to listen on: loopback unless told otherwise, so a laptop exposes nothing; the
   * rendered pod sets 0.0.0.0 (docs/design/architecture.md §Local bind addresses).
   */
  FRONTEND_HOST: z.string().min(1).default('127.0.0.1'),
  /** Base URL of the Payday API (in Kubernetes, the api Service). */
  API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  /**
   * Secret(s) sealing the session cookie, comma-separated; the first seals, all open (rotation).
   * Each at least 32 characters, e.g. `openssl rand -base64 48`.
   */
  SESSION_SECRET: z
    .string({ error: 'SESSION_SECRET is required (at least 32 characters, e.g. `openssl rand -base64 48`)' })
    .transform((v) => v.split(',').map((s) => s.trim()))
    .pipe(z.array(z.string().min(32, 'each SESSION_SECRET must be at least 32 characters')).min(1)),
  /** Absolute session lifetime; the API's dashboard token may end it sooner. */
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  /** `Secure` cookies (HTTPS only; browsers also accept them on http://localhost). */
  COOKIE_SECURE: bool.default(true),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(15 * 60),
  /** Use the left-most `X-Forwarded-For` address for rate limiting (only behind a trusted proxy). */
  TRUST_PROXY: bool.default(false),
  /** Time /readyz reports 503 before the server stops accepting connections (runbooks: graceful shutdown). */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  API_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  APP_VERSION: z.string().min(1).default('dev'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface FrontendConfig {
  port: number;
  host: string;
  apiUrl: string;
  sessionSecrets: string[];
  sessionTtlSeconds: number;
  cookieSecure: boolean;
  loginMaxFailures: number;
  loginWindowSeconds: number;
  trustProxy: boolean;
  shutdownDelayMs: number;
  apiTimeoutMs: number;
  version: string;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid frontend configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined>): FrontendConfig {
  // Empty strings mean "unset" (a blank line in a .env file or a ConfigMap).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`));
  }
  const e = parsed.data;
  return {
    port: e.FRONTEND_PORT,
    host: e.FRONTEND_HOST,
    apiUrl: e.API_URL.replace(/\/+$/, ''),
    sessionSecrets: e.SESSION_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    cookieSecure: e.COOKIE_SECURE,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginWindowSeconds: e.LOGIN_WINDOW_SECONDS,
    trustProxy: e.TRUST_PROXY,
    shutdownDelayMs: e.SHUTDOWN_DELAY_MS,
    apiTimeoutMs: e.API_TIMEOUT_MS,
    version: e.APP_VERSION,
    logLevel: e.LOG_LEVEL,
  };
}
