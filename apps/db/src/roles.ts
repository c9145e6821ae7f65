/**
 * Database roles other components log in with, and the grants they need. Kept apart from the
 * numbered migrations because the roles are created by CloudNativePG's managed roles
 * (generators/src/charts/database/database.ts), which may appear after the first migration ran: the
 * grants are re-applied by every `migrateDatabase` run (each deploy's PreSync Job), so they
 * converge whichever side comes first. Side-effect free on purpose: the renderer imports it.
 */

/** Least-privilege login KEDA's postgresql trigger polls the queue depth with (SELECT on jobs). */
export const KEDA_READER_ROLE = 'keda_reader';

/** Idempotent; a role that does not exist (local runs, tests, previews) is skipped. */
export const ROLE_GRANTS_SQL = `
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${KEDA_READER_ROLE}') THEN
    GRANT USAGE ON SCHEMA public TO ${KEDA_READER_ROLE};
    GRANT SELECT ON TABLE jobs TO ${KEDA_READER_ROLE};
  END IF;
END
$$;`;
