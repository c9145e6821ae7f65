import postgres from 'postgres';
import { migrateDatabase } from '../migrate/migrate.js';

/** Name of the migrated database that test databases are cloned from. */
export const TEMPLATE_DATABASE = 'payday_template';

/**
 * (Re)creates the template database and applies every migration to it, once per test run, so
 * each test file's `CREATE DATABASE … TEMPLATE` is a cheap file copy of a migrated schema.
 */
export async function prepareTemplate(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await sql.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${TEMPLATE_DATABASE}`;
  await migrateDatabase(url.toString());
}
