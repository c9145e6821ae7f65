import { type Database, migrationStatus } from '@payday/db';

export type DatabaseReadiness =
  | { status: 'ready' }
  | { status: 'migrations_pending'; expected: string }
  | { status: 'database_unreachable'; error: string };

/**
 * `/readyz`'s database half: the database answers and has this build's migrations. Once the
 * migrations are current they stay so for this build, so later checks only ask `select 1`.
 */
export function databaseReadiness(database: Database): () => Promise<DatabaseReadiness> {
  let migrationsCurrent = false;
  return async () => {
    try {
      await database.sql`select 1`;
      if (!migrationsCurrent) {
        const status = await migrationStatus(database.sql);
        if (!status.current) return { status: 'migrations_pending', expected: status.expected };
        migrationsCurrent = true;
      }
      return { status: 'ready' };
    } catch (error) {
      return { status: 'database_unreachable', error: (error as Error).message };
    }
  };
}
