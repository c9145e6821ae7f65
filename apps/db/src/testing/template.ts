import postgres from 'postgres';

/** Name of the migrated database that test databases are cloned from. */
export const TEMPLATE_DATABASE = 'payday_template';

/**
 * (Re)creates the template database. The database package applies its migrations to it here,
 * once per test run, so each test file's `CREATE DATABASE … TEMPLATE` is a cheap file copy.
 */
export async function prepareTemplate(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await sql.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await sql.end();
  }
}
