import { Environment } from '@marcbachmann/cel-js';
import { registerFormat } from './lib/format.js';
import { registerIp } from './lib/ip.js';
import { registerKyverno } from './lib/kyverno.js';
import { registerLists } from './lib/lists.js';
import { registerMathSetsEncoders } from './lib/math-sets-encoders.js';
import { registerQuantity } from './lib/quantity.js';
import { registerRegex } from './lib/regex.js';
import { registerSemver } from './lib/semver.js';
import { registerStrings } from './lib/strings.js';
import { registerUrl } from './lib/url.js';

/** Variables every policy expression may reference (Kubernetes admission + Kyverno bindings). */
export const BINDINGS = [
  'object',
  'oldObject',
  'request',
  'params',
  'namespaceObject',
  'authorizer',
  'variables',
  'exceptions',
] as const;

let shared: Environment | undefined;

/**
 * The CEL environment Kyverno builds for policies (docs/design/policy-gate.md §CEL environment):
 * optional types, homogeneous aggregate literals, cel.bind, strings/lists/regex/math/sets/encoders
 * extensions, the Kubernetes libraries (quantity, url, ip, cidr, format, semver) and Kyverno's
 * offline libraries. Built once per process: creating an Environment is the expensive part.
 */
export function policyEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: true,
    unlistedVariablesAreDyn: false,
  });
  for (const name of BINDINGS) env.registerVariable(name, 'dyn');
  registerStrings(env);
  registerLists(env);
  registerRegex(env);
  registerMathSetsEncoders(env);
  registerQuantity(env);
  registerUrl(env);
  registerIp(env);
  registerFormat(env);
  registerSemver(env);
  registerKyverno(env);
  // Kubernetes enables cross-type numeric comparisons (cel-go CrossTypeNumericComparisons);
  // YAML numbers arrive as doubles while literals are ints, so `1 == 1.0` must hold.
  // Registering `int == double` also gives the mirrored and `!=` overloads.
  env.registerOperator('int == double', (a: bigint, b: number) => Number(a) === b);
  shared = env;
  return env;
}
