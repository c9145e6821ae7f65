import type postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database } from '../client.js';
import { JOBS_CHANNEL } from '../queue/statements.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** One migrated database per test file, opened for the whole file and dropped after it. */
export function useQueueDatabase(): { readonly db: Database } {
  const holder = {} as { db: Database; test: TestDatabase };
  beforeAll(async () => {
    holder.test = await createTestDatabase();
    holder.db = createDatabase(holder.test.url, { max: 4 });
  });
  afterAll(async () => {
    await holder.db?.close();
    await holder.test?.drop();
  });
  return {
    get db() {
      return holder.db;
    },
  };
}

export const T0 = new Date('2026-11-21T06:00:00.000Z');

export const ms = (date: Date, delta: number): Date => new Date(date.getTime() + delta);

/**
 * The wake-up notifications (`JOBS_CHANNEL`) that `during` causes, sorted. Notifications arrive in
 * commit order, so once a marker sent afterwards is heard, every earlier one is.
 */
export async function notificationsOf(sql: postgres.Sql, during: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  let marker: () => void = () => {};
  const markerSeen = new Promise<void>((resolve) => {
    marker = resolve;
  });
  const listening = await sql.listen(JOBS_CHANNEL, (payload) => {
    if (payload === 'marker') marker();
    else seen.push(payload);
  });
  try {
    await during();
    await sql`select pg_notify(${JOBS_CHANNEL}, 'marker')`;
    await markerSeen;
    return seen.sort();
  } finally {
    await listening.unlisten();
  }
}
