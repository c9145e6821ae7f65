import { createRoute, z } from '@hono/zod-openapi';
import { accountBalances, type Currency, type Database } from '@payday/db';
import { sql } from 'drizzle-orm';
import { newRouter } from '../http/validation.js';
import { errorResponses, jsonContent } from '../schemas/common.js';
import { BalanceSchema, VolumeSchema } from '../schemas/objects.js';

const security = [{ bearerAuth: [] }];

const balance = createRoute({
  method: 'get',
  path: '/v1/balance',
  operationId: 'getBalance',
  summary: 'Available and pending balance per currency, from the ledger',
  security,
  responses: { 200: jsonContent(BalanceSchema, 'The balance'), ...errorResponses },
});

const volume = createRoute({
  method: 'get',
  path: '/v1/reports/volume',
  operationId: 'getVolumeReport',
  summary: 'Daily totals of succeeded payments per currency (UTC days), oldest first',
  security,
  request: {
    query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30).openapi({ example: 30 }) }),
  },
  responses: { 200: jsonContent(VolumeSchema, 'The report'), ...errorResponses },
});

export function balanceRoutes(database: Database) {
  return newRouter()
    .openapi(balance, async (c) => {
      const rows = await accountBalances(database.db, c.get('merchantId'));
      const pick = (kind: string) =>
        rows
          .filter((r) => r.kind === kind)
          .map((r) => ({ currency: r.currency as Currency, amount: r.balance }));
      return c.json(
        {
          object: 'balance' as const,
          available: pick('merchant_available'),
          pending: pick('merchant_pending'),
        },
        200,
      );
    })
    .openapi(volume, async (c) => {
      const { days } = c.req.valid('query');
      const rows = await database.db.execute<{
        date: string;
        currency: Currency;
        amount: string;
        count: number;
      }>(sql`
        select to_char(date_trunc('day', created_at at time zone 'UTC'), 'YYYY-MM-DD') as date,
               currency, sum(amount)::text as amount, count(*)::int as count
          from payments
         where merchant_id = ${c.get('merchantId')}
           and status = 'succeeded'
           and created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC'
                             - make_interval(days => ${days - 1})
         group by 1, 2
         order by 1, 2`);
      return c.json(
        {
          object: 'volume_report' as const,
          days,
          data: rows.map((r) => ({
            date: r.date,
            currency: r.currency,
            amount: Number(r.amount),
            count: r.count,
          })),
        },
        200,
      );
    });
}
