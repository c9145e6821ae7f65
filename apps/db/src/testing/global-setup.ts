import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type EmbeddedServer, startEmbeddedPostgres, THROWAWAY_SETTINGS } from '../embedded.js';
import { freePort } from './free-port.js';
import { prepareTemplate } from './template.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the test server (database `postgres`). */
    databaseAdminUrl: string;
  }
}

/**
 * Starts one real PostgreSQL for the whole test run (or uses TEST_DATABASE_URL, a superuser URL
 * of an external server) and builds the migrated template database that every test file clones.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedServer | undefined;
  let dir: string | undefined;
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    dir = await mkdtemp(join(tmpdir(), 'payday-test-pg-'));
    server = await startEmbeddedPostgres({
      dataDir: join(dir, 'data'),
      port: await freePort(),
      persistent: false,
      settings: THROWAWAY_SETTINGS,
    });
    url = server.url;
  }
  await prepareTemplate(url);
  project.provide('databaseAdminUrl', url);
  return async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
