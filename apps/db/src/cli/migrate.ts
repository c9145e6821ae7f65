/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (or, without it, to the
 * embedded server that `npm start` uses, started for the occasion).
 */
import { parseArgs } from 'node:util';
import { resolveDatabase } from '../local-database.js';
import { migrateDatabase } from '../migrate/migrate.js';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log('usage: npm run db:migrate   (DATABASE_URL selects the server; default: embedded)');
    return 0;
  }
  const target = await resolveDatabase((line) => console.error(line));
  try {
    const { applied } = await migrateDatabase(target.url, { log: (l) => console.error(l) });
    console.log(
      applied.length
        ? `applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'database is up to date',
    );
    return 0;
  } finally {
    await target.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
