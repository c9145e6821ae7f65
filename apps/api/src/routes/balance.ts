import { createRoute, z } from '@hono/zod-openapi';
import type { Database } from '@payday/db';
import { newRouter } from '../http/validation.js';
import { errorResponses, jsonContent } from '../schemas/common.js';
import { BalanceSchema, VolumeSchema } from '../schemas/objects.js';
import { getBalance, volumeReport } from '../services/balance.js';

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
    .openapi(balance, async (c) => c.json(await getBalance(database.db, c.get('merchantId')), 200))
    .openapi(volume, async (c) =>
      c.json(await volumeReport(database.db, c.get('merchantId'), c.req.valid('query').days), 200),
    );
}
