/**
 * The catalogue's flow matrix over the committed gitops/ tree, and one regression test per
 * class of defect the network check found (docs/rehearsal.md §Network reachability).
 */
import { networkCheck, type Scenario } from '@payday/rehearsal';
import { gitopsScenario } from '@payday/rehearsal/network-testing';
import { describe, expect, it } from 'vitest';
import { FLOWS } from './flows.js';

const check = networkCheck({ flows: FLOWS });
const messages = (scenario: Scenario) => check.run(scenario).map((f) => `${f.subject}: ${f.message}`);

describe('FLOWS over the committed gitops/ tree', () => {
  it.each(['dev', 'staging', 'prod'] as const)('%s', (env) => {
    expect(messages(gitopsScenario(env))).toEqual([]);
  });
  it('preview: reaches the collector and the internet (defects, fixed in the generators next)', () => {
    expect(messages(gitopsScenario('preview'))).toEqual([
      'Pod/pr-1/api: every pod → OpenTelemetry collector:4318 allowed, must be blocked: egress from pr-1/api allowed by NetworkPolicy pr-1/api; ingress to observability/OpenTelemetry collector not isolated by any NetworkPolicy',
      'Pod/pr-1/frontend: every pod → OpenTelemetry collector:4318 allowed, must be blocked: egress from pr-1/frontend allowed by NetworkPolicy pr-1/frontend; ingress to observability/OpenTelemetry collector not isolated by any NetworkPolicy',
      'Pod/pr-1/worker: every pod → OpenTelemetry collector:4318 allowed, must be blocked: egress from pr-1/worker allowed by NetworkPolicy pr-1/worker; ingress to observability/OpenTelemetry collector not isolated by any NetworkPolicy',
      'Pod/pr-1/worker: worker → internet:443 allowed, must be blocked: egress from pr-1/worker allowed by NetworkPolicy pr-1/worker',
    ]);
  });
});
