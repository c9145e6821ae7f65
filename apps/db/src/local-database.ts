import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { startEmbeddedPostgres } from './embedded.js';

export { ownShutdownSignals } from './embedded.js';

/** Repository root (apps/db/src → ../../..). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where `npm start` keeps its embedded cluster (git-ignored, survives restarts). */
export const LOCAL_DATA_DIR = join(REPO_ROOT, '.data', 'postgres');

/** `.data/` of the repository, or PAYDAY_DATA_DIR when set (a second checkout, the doc tests). */
export function localDataDir(env: Record<string, string | undefined> = process.env): string {
  return env.PAYDAY_DATA_DIR || join(REPO_ROOT, '.data');
}

export interface ResolvedDatabase {
  /** URL of the `payday` database (or DATABASE_URL as given). */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the local embedded server (PAYDAY_PG_PORT, default 5433,
 * data in .data/postgres), started here and stopped by `stop()`, with database `payday` created
 * on first use. PAYDAY_DATA_DIR moves the data folder (`<dir>/postgres`).
 */
export async function resolveDatabase(
  log: (line: string) => void,
  env: Record<string, string | undefined> = process.env,
): Promise<ResolvedDatabase> {
  const external = env.DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => {} };
  const port = Number(env.PAYDAY_PG_PORT ?? 5433);
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  if (await answers(adminUrl)) {
    // `npm start` is already running the embedded server: share it rather than fight over
    // the data directory's lock.
    log(`using the embedded PostgreSQL already running on 127.0.0.1:${port}`);
    return { url: await ensureDatabase(adminUrl, 'payday'), embedded: true, stop: async () => {} };
  }
  const dataDir = join(localDataDir(env), 'postgres');
  log(`starting embedded PostgreSQL on 127.0.0.1:${port} (data in ${dataDir})`);
  const server = await startEmbeddedPostgres({ dataDir, port, persistent: true }).catch((error: Error) => {
    // The variable that moves the port (README.md, "Quick start").
    throw /is in use\)$/.test(error.message)
      ? new Error(`${error.message}; set PAYDAY_PG_PORT to a free port`)
      : error;
  });
  const url = await ensureDatabase(server.url, 'payday');
  return { url, embedded: true, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Creates database `name` on the server if missing; returns its URL. */
export async function ensureDatabase(adminUrl: string, name: string): Promise<string> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`select 1 as ok from pg_database where datname = ${name}`;
    if (!row) await sql.unsafe(`create database ${name}`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
