/**
 * Object names shared by several builders (one place, so a NetworkPolicy, a TriggerAuthentication
 * and a runbook never disagree about what the database or a secret is called).
 */
export const DB_CLUSTER = 'payday-db';
/**
 * CloudNativePG creates `<cluster>-app` with username/password/host/port/dbname/uri
 * (docs/design/argo.md §Database).
 */
export const DB_APP_SECRET = `${DB_CLUSTER}-app`;
export const DB_NAME = 'payday';
export const DB_OWNER = 'payday';
/** Least-privilege role KEDA polls the queue with (SELECT on jobs only; granted by every migrate run). */
export { KEDA_READER_ROLE as KEDA_ROLE } from '@payday/db/roles';
export const KEDA_ROLE_SECRET = `${DB_CLUSTER}-keda-reader`;
export const BACKUP_CREDENTIALS_SECRET = `${DB_CLUSTER}-backup-credentials`;
export const OBJECT_STORE = `${DB_CLUSTER}-store`;
export const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';
export const MIGRATION_JOB = 'db-migrate';
/** Secrets the apps read (materialised by ExternalSecrets, never rendered). */
export const WEBHOOK_SECRET = 'payday-webhook-signing';
export const SESSION_SECRET = 'payday-session';
export const API_KEY_PEPPER_SECRET = 'payday-api-key-pepper';
