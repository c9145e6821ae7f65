/**
 * Property-based fuzzing from the served OpenAPI document: every operation, driven with requests
 * generated from its own parameter and body schemas (valid most of the time, hostile the rest),
 * against real PostgreSQL. For every request:
 *   - no 5xx;
 *   - the status is documented for the operation, and a JSON body matches its documented schema
 *     (ajv, JSON Schema 2020-12 as OpenAPI 3.1 embeds it);
 *   - a rejected request (4xx) changes no table. The one exception is the Idempotency-Key
 *     contract (README "Idempotency"): a business error reached after the key was claimed is
 *     stored for replay, so `idempotency_keys` may gain that row.
 * Budget: FUZZ_RUNS requests per operation (default 10) — bounded, so it runs in `npm test`.
 * Seed: FUZZ_SEED when set; otherwise a fixed seed under CI (a merge gate must not fail on a
 * draw no commit caused) and a fresh one locally, so every developer run explores new inputs.
 * A failure prints fast-check's seed and path; replay it with `FUZZ_SEED=<seed>`.
 */
import { webhookDeliveries } from '@payday/db/schema';
import { insertMerchant, insertPayment } from '@payday/db/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { createTestApi, type TestApi } from './testing/harness.js';
import { type ArbitraryContext, fromSchema, type JsonSchema } from './testing/schema-arbitrary.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 20261206 : undefined;

type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: JsonSchema };
type Operation = {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  security?: unknown[];
};

const doc = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchema> };
};
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

/**
 * Answers given before any work starts, where not even the Idempotency-Key may be stored:
 * credentials, limits, key conflicts and media type by status, validation by code.
 */
const beforeWork = (status: number, code: string) =>
  [401, 409, 413, 415, 422, 429].includes(status) || /^(parameter_|body_|url_not_allowed$)/.test(code);

/**
 * A path segment as a hostile client would send it: a lone surrogate cannot be percent-encoded
 * as UTF-8 (encodeURIComponent throws), so it goes as the bytes of its WTF-8 encoding.
 */
const segment = (value: string) =>
  value
    .split(/(\p{Cs})/u)
    .map((part) => {
      if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
      const c = part.charCodeAt(0);
      return [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');

const pointer = (...segments: string[]) =>
  segments.map((s) => encodeURIComponent(s.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

describe('OpenAPI-driven fuzzing (real PostgreSQL)', () => {
  let api: TestApi;
  let key: string;
  let session: string;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema(doc, 'openapi.json');
  const knownIds: Record<string, string[]> = {};
  let tables: string[] = [];

  beforeAll(async () => {
    api = await createTestApi({
      // Every generated host "resolves" to one public address: the fuzzer exercises the API, not
      // this machine's resolver (the real resolver is covered by src/http/webhook-url.test.ts).
      webhookUrls: {
        allowPrivateTargets: false,
        lookup: async () => [{ address: '93.184.215.14', family: 4 }],
      },
    });
    const m = await api.merchant('Fuzz', { email: 'fuzz@payday.test', password: 'fuzzing all day' });
    key = m.apiKey.secret;
    session = (
      await api.json('POST', '/v1/dashboard/login', {
        body: { email: 'fuzz@payday.test', password: 'fuzzing all day' },
      })
    ).body.token;
    // One of each object, so generated ids often name a real one (and the success paths run).
    const pay = (
      await api.json('POST', '/v1/payments', { token: key, body: { amount: 5000, currency: 'usd' } })
    ).body.id;
    await api.settle(pay);
    const re = (await api.json('POST', '/v1/refunds', { token: key, body: { payment: pay, amount: 100 } }))
      .body.id;
    const we = (
      await api.json('POST', '/v1/webhook_endpoints', { token: key, body: { url: 'https://shop.example/h' } })
    ).body.id;
    const spare = (await api.json('POST', '/v1/api_keys', { token: key, body: { name: 'spare' } })).body.id;
    const events = (await api.json('GET', '/v1/events?limit=100', { token: key })).body.data.map(
      (e: { id: string }) => e.id,
    );
    const [delivery] = await api.database.db
      .insert(webhookDeliveries)
      .values({
        endpointId: we,
        eventId: events[0],
        attempt: 1,
        status: 'failed',
        httpStatus: 500,
        durationMs: 12,
        error: 'HTTP 500',
      })
      .returning({ id: webhookDeliveries.id });
    // Another merchant's payment: every operation must treat it as unknown.
    const foreign = await insertPayment(api.database, await insertMerchant(api.database, 'Other'), 700);
    Object.assign(knownIds, {
      pay: [pay, foreign],
      re: [re],
      evt: events,
      we: [we],
      wdl: [delivery!.id],
      // Never the key the fuzzer authenticates with: revoking it would end the run.
      key: [spare],
    });
    tables = (
      await api.database.sql<{ name: string }[]>`
        select tablename as name from pg_tables where schemaname = 'public' order by tablename`
    ).map((t) => t.name);
  });
  afterAll(async () => api?.close());

  /** One fingerprint per table (`last_used_at` is a usage hint any authenticated request may touch). */
  async function snapshot(): Promise<Record<string, string>> {
    const columns = tables.map(
      (t) =>
        `(select md5(coalesce(string_agg(r, ',' order by r), '')) from (select (to_jsonb(x) - 'last_used_at')::text as r from "${t}" x) s) as "${t}"`,
    );
    const [row] = await api.database.sql.unsafe<Record<string, string>[]>(`select ${columns.join(', ')}`);
    return row!;
  }

  const ctx: ArbitraryContext = {
    resolve: (ref) => doc.components.schemas[ref.replace('#/components/schemas/', '')]!,
    knownIds,
  };

  for (const { path, method, op } of operations) {
    it(`${method} ${path} (${op.operationId})`, async () => {
      const parameters = op.parameters ?? [];
      const pathParams = parameters.filter((p) => p.in === 'path');
      const queryParams = parameters.filter((p) => p.in === 'query');
      const jsonBody = op.requestBody?.content['application/json']?.schema;
      const request = fc.record({
        path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, fromSchema(p.schema, ctx)]))),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema, ctx)])), {
          requiredKeys: [],
        }),
        body: jsonBody
          ? fc.oneof(
              { weight: 12, arbitrary: fromSchema(jsonBody, ctx).map((b) => JSON.stringify(b)) },
              fc.constantFrom('{"amount": 1,', '', 'null', '[]'),
            )
          : fc.constant(undefined),
        contentType: fc.oneof(
          { weight: 15, arbitrary: fc.constant('application/json') },
          fc.constantFrom('text/plain', 'application/x-www-form-urlencoded'),
        ),
        idempotencyKey: fc.option(
          fc.oneof(
            fc.uuid(),
            fc
              .string({ minLength: 1, maxLength: 300, unit: 'binary-ascii' })
              .filter((s) => /^[\x21-\x7e]+$/.test(s)),
          ),
          { nil: undefined },
        ),
        auth: fc.oneof(
          { weight: 12, arbitrary: fc.constant(key) },
          { weight: 2, arbitrary: fc.constant(session) },
          fc.constantFrom('', 'sk_test_0000000000000000000000000000000000000000', 'dst_nope'),
        ),
      });

      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          // A generated value need not be a string: fc.jsonValue makes objects such as
          // {"toString": {}}, which String() cannot convert. JSON text is what a client would send.
          const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
          let url = path.replace(/\{([a-z_]+)\}/g, (_, name: string) =>
            segment(asText((r.path as Record<string, unknown>)[name])),
          );
          const query = new URLSearchParams();
          for (const [name, value] of Object.entries(r.query as Record<string, unknown>)) {
            if (value !== undefined) query.set(name, asText(value));
          }
          if ([...query].length) url += `?${query}`;
          const headers: Record<string, string> = {};
          if (r.auth) headers.authorization = `Bearer ${r.auth}`;
          if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
          if (r.body !== undefined) headers['content-type'] = r.contentType;

          const before = await snapshot();
          const res = await api.app.request(url, {
            method,
            headers,
            ...(r.body === undefined ? {} : { body: r.body }),
          });
          const text = await res.text();
          const where = `${method} ${url} → ${res.status} ${text.slice(0, 300)}`;

          expect(res.status, where).toBeLessThan(500);
          const documented = op.responses[String(res.status)];
          expect(documented, `undocumented status: ${where}`).toBeDefined();
          if (documented?.content?.['application/json']) {
            const validate = ajv.getSchema(
              `openapi.json#/${pointer('paths', path, method.toLowerCase(), 'responses', String(res.status), 'content', 'application/json', 'schema')}`,
            )!;
            const body = JSON.parse(text);
            expect(validate(body), `${where}\n${ajv.errorsText(validate.errors)}`).toBe(true);
          }
          if (res.status >= 400) {
            const after = await snapshot();
            const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
            if (!beforeWork(res.status, code)) {
              after.idempotency_keys = before.idempotency_keys!;
            }
            expect(after, `a rejected request wrote: ${where}`).toEqual(before);
          }
        }),
        { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }) },
      );
    });
  }
});
