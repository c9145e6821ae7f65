import { defineConfig } from 'drizzle-kit';

/**
 * `npm run db:generate` diffs src/schema against the committed snapshots and writes the next
 * SQL migration into drizzle/. Hand-written SQL (triggers, seeds) goes into custom migrations:
 * `npx drizzle-kit generate --custom --name=… --config apps/db/drizzle.config.ts`.
 * Migrations must be expand/contract safe; see apps/db/README.md.
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: './apps/db/src/schema/index.ts',
  out: './apps/db/drizzle',
  strict: true,
});
