/**
 * The evaluator over the committed gitops/ tree, with a few flows written here (the catalogue's
 * full matrix is checked from generators/src/catalogue/flows.test.ts: the rehearsal never
 * imports the generators).
 */
import { describe, expect, it } from 'vitest';
import { committedScenario as gitopsScenario } from '../testing.js';
import { checkFlows } from './check-flows.js';
import type { Flow, FlowEndpoint } from './flow-matrix.js';

const app = (name: string): FlowEndpoint => ({ pods: { name, labels: { 'app.kubernetes.io/name': name } } });
const database: FlowEndpoint = { pods: { name: 'database', labels: { 'cnpg.io/cluster': 'payday-db' } } };
const flow = (from: FlowEndpoint, to: FlowEndpoint, port: number, expect: Flow['expect']): Flow => ({
  from,
  to,
  port,
  expect,
  in: 'all',
  why: 'gitops test',
});

const FLOWS = [
  flow(app('api'), database, 5432, 'allowed'),
  flow(app('frontend'), app('api'), 3000, 'allowed'),
  flow(app('frontend'), database, 5432, 'blocked'),
  flow(app('api'), app('worker'), 3002, 'blocked'),
];

describe('the committed gitops/ tree', () => {
  it.each(['dev', 'staging', 'prod', 'preview'] as const)('%s: the app flows hold', (env) => {
    expect(checkFlows(gitopsScenario(env), FLOWS)).toEqual([]);
  });

  it('prod: dropping the database policy’s ingress rules blocks api → database at the database (one finding for the three instances)', () => {
    const scenario = gitopsScenario('prod');
    const policy = scenario.objects.find(
      (o) => o.object.kind === 'NetworkPolicy' && o.object.metadata.name === 'payday-db',
    );
    (policy?.object.spec as { ingress?: unknown }).ingress = [];
    expect(checkFlows(scenario, FLOWS).map((f) => `${f.subject}: ${f.message}`)).toEqual([
      'Pod/payday-prod/payday-db-1: api → database:5432 blocked: ingress to payday-prod/database not allowed by any NetworkPolicy selecting it',
    ]);
  });
});
