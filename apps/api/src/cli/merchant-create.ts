/**
 * `npm run merchant:create -- --name NAME [--email E --password P] [--json]`
 *
 * Onboards a merchant: prints its secret API key once (only a hash is stored) and, with
 * --email/--password, creates a dashboard user. Uses DATABASE_URL, or the local embedded server
 * of `npm start` (started for the occasion if it is not running).
 */
import { parseArgs } from 'node:util';
import { createDatabase, migrateDatabase, migrationStatus } from '@payday/db';
import { resolveDatabase } from '@payday/db/local';
import { createMerchant } from '../services/merchants.js';

const USAGE = 'usage: npm run merchant:create -- --name NAME [--email EMAIL --password PASSWORD] [--json]';

class UsageError extends Error {}

function parse(argv: string[]) {
  let values: { name?: string; email?: string; password?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        name: { type: 'string' },
        email: { type: 'string' },
        password: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { help: true as const };
  const name = values.name?.trim();
  if (!name) throw new UsageError('--name is required');
  if (name.length > 200) throw new UsageError('--name must be at most 200 characters');
  if (Boolean(values.email) !== Boolean(values.password)) {
    throw new UsageError('--email and --password go together (both or neither)');
  }
  if (values.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) {
    throw new UsageError(`--email: not an email address: ${values.email}`);
  }
  if (values.password && values.password.length < 8)
    throw new UsageError('--password must be at least 8 characters');
  return {
    help: false as const,
    name,
    email: values.email,
    password: values.password,
    json: values.json ?? false,
  };
}

export async function main(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`merchant:create: ${error.message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const progress = args.json ? () => {} : (line: string) => console.error(line);
  const target = await resolveDatabase(progress, env);
  const database = createDatabase(target.url, { max: 2, applicationName: 'payday merchant:create' });
  try {
    if (target.embedded) {
      await migrateDatabase(target.url, { log: progress });
    } else {
      const status = await migrationStatus(database.sql);
      if (!status.current) {
        console.error(
          `merchant:create: the database is not migrated (expected ${status.expected}); run npm run db:migrate`,
        );
        return 1;
      }
    }
    const created = await createMerchant(database, {
      name: args.name,
      email: args.email,
      password: args.password,
    });
    if (args.json) {
      console.log(
        JSON.stringify({
          merchant_id: created.merchantId,
          name: created.name,
          api_key: created.apiKey.secret,
          api_key_id: created.apiKey.id,
          ...(created.dashboardUser ? { dashboard_user: created.dashboardUser } : {}),
        }),
      );
    } else {
      console.log(`Created merchant "${created.name}" (${created.merchantId})`);
      console.log(`API key (shown once, store it now): ${created.apiKey.secret}`);
      if (created.dashboardUser) console.log(`Dashboard user: ${created.dashboardUser.email}`);
    }
    return 0;
  } finally {
    await database.close();
    await target.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`merchant:create failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
