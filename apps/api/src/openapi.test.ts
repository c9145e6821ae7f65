import { describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { openApiDocument } from './openapi.js';

type Operation = { responses: Record<string, unknown>; requestBody?: unknown };

/**
 * The document describes every route the app serves and every status it sends. It used to
 * leave out /healthz, /readyz, /metrics and /openapi.json, and the 415 and 500 responses.
 */
describe('the OpenAPI document', () => {
  const doc = openApiDocument();
  const paths = (doc.paths ?? {}) as Record<string, Record<string, Operation>>;
  const documented = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
  );

  it('lists every route the app answers, and nothing else', () => {
    const app = createApp({
      // Nothing here runs a query: the routes are only listed.
      database: {} as never,
      logger: {} as never,
      metrics: { registry: {} } as never,
      version: 'test',
      lifecycle: { draining: false },
    });
    const served = app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path.replace(/:([a-z_]+)/g, '{$1}')}`);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
    expect(documented).toEqual(
      expect.arrayContaining(['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /openapi.json']),
    );
  });

  it('documents the error responses the API sends: 500 everywhere, 415 wherever a body is read', () => {
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (!path.startsWith('/v1/')) continue;
        expect(Object.keys(op.responses), where).toEqual(
          expect.arrayContaining(['400', '401', '429', '500']),
        );
        if (op.requestBody)
          expect(Object.keys(op.responses), where).toEqual(expect.arrayContaining(['413', '415']));
      }
    }
  });

  it('describes readiness failures and the metrics text format', () => {
    const readyz = paths['/readyz']!.get!;
    expect(Object.keys(readyz.responses)).toEqual(['200', '503']);
    const metrics = paths['/metrics']!.get!;
    expect(Object.keys((metrics.responses['200'] as { content: object }).content)).toEqual([
      'text/plain; version=0.0.4; charset=utf-8',
    ]);
  });
});
