import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type Database } from '../client.js';
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
