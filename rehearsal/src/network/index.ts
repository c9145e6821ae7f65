/**
 * The network reachability check (docs/rehearsal.md §Network reachability): the rendered
 * NetworkPolicies evaluated with Kubernetes semantics against the catalogue's flow matrix.
 *
 * The orchestrator passes the matrix as `options.flows` (the renderer takes it from
 * generators/src/catalogue/flows.ts). Without one the check cannot tell right from wrong and
 * fails closed.
 */
import type { Finding, RehearsalCheck, Scenario } from '../model.js';
import { checkFlows } from './check-flows.js';
import type { NetworkOptions } from './flow-matrix.js';

export { type FlowResult, networkOf, reportFlows, scenarioPods } from './check-flows.js';
// The evaluator itself, for other checks that ask whether one connection is allowed (the sync
// plan: is a hook's allowance applied before it runs).
export {
  type Connection,
  type ContainerPort,
  type Endpoint,
  evaluate,
  type Network,
  type PodEndpoint,
  type Verdict,
} from './evaluate.js';
export type { Flow, FlowAddress, FlowEndpoint, FlowMatrix, FlowPods, NetworkOptions } from './flow-matrix.js';

export function networkCheck(options: NetworkOptions = {}): RehearsalCheck {
  return {
    name: 'network',
    run(scenario: Scenario): Finding[] {
      if (!options.flows) {
        return [
          {
            check: 'network',
            severity: 'error',
            subject: `Scenario/${scenario.name}`,
            message:
              'no flow matrix: the orchestrator must pass options.flows (docs/rehearsal.md §Network reachability)',
          },
        ];
      }
      return checkFlows(scenario, options.flows);
    },
  };
}
