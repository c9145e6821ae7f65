/**
 * The sync-plan check (docs/rehearsal.md, "Sync plan"): what every object needs is in place
 * before Argo CD applies it, counting only what Argo CD waits for.
 */
import type { Finding, RehearsalCheck, Scenario } from '../model.js';
import { ref } from '../model.js';
import { chartOf, valuesOf } from '../platform/provisions.js';
import { groupOf, isCustomResource, PlanError } from './argo.js';
import { databaseOf, needsOf, podSpecOf } from './needs.js';
import { buildPlan, describe, type Link, order, type Plan, type PlanStep, type Sync } from './plan.js';

/** CloudNativePG v1.30.0 pkg/postgres/configuration.go: PostgreSQL listens on 5432. */
const POSTGRES_PORT = 5432;

const crdKey = (group: string, kind: string): string => `CustomResourceDefinition/${kind}.${group}`;

const where = (s: PlanStep): string =>
  s.source.startsWith('chart ') ? `${s.sync} (${s.source})` : describe(s);

const error = (subject: string, message: string): Finding => ({
  check: 'sync-plan',
  severity: 'error',
  subject,
  message,
});

const crdFindings = (plan: Plan, sync: Sync): Finding[] => {
  const findings: Finding[] = [];
  const consumers: {
    subject: string;
    group: string;
    kind: string;
    skip: boolean;
    chain: Link[];
    what: string;
  }[] = [];
  for (const s of sync.steps) {
    if (!isCustomResource(s.object) || s.source.startsWith('chart ')) continue;
    consumers.push({
      subject: ref(s.object),
      group: groupOf(s.object.apiVersion),
      kind: s.object.kind,
      skip: s.skipDryRun || sync.skipDryRun,
      chain: s.chain,
      what: `${ref(s.object)} is applied by ${sync.app}`,
    });
  }
  for (const r of sync.component?.requires(valuesOf(sync.application)) ?? []) {
    consumers.push({
      subject: sync.app,
      group: r.crd.group,
      kind: r.crd.kind,
      skip: sync.skipDryRun,
      chain: sync.chain,
      what: `${sync.app} (chart ${chartOf(sync.application)}) renders a ${r.crd.kind} (${r.because}; ${r.source})`,
    });
  }
  for (const c of consumers) {
    const crd = plan.index.get(crdKey(c.group, c.kind));
    if (!crd) {
      findings.push(
        error(
          c.subject,
          `${c.what}, but no platform Application in the plan installs the CRD ${c.group}/${c.kind} (rehearsal/src/platform/components.ts)`,
        ),
      );
      continue;
    }
    // The CRD in the same sync: the dry-run skips the kind and the CRD is applied first
    // (gitops-engine sync_context.go hasCRDOfGroupKind, sync_tasks.go "make sure CRDs are created before CRs").
    if (crd.sync === sync.app && !crd.source.startsWith('chart ')) continue;
    if (crd.sync === sync.app) continue;
    const beforeSync = order(plan, crd.chain, sync.chain);
    if (beforeSync.order === 'before') continue;
    const why =
      beforeSync.order === 'unordered'
        ? beforeSync.why
        : crd.chain.some((l) => l.ref === sync.app)
          ? `${sync.app} applies ${crd.sync} itself, after that dry-run`
          : `${crd.sync} is applied after ${sync.app}`;
    if (c.skip) {
      const beforeApply = order(plan, crd.chain, c.chain);
      if (beforeApply.order === 'before') continue;
      findings.push(
        error(
          c.subject,
          `${c.what} with SkipDryRunOnMissingResource=true, but its CRD ${c.group}/${c.kind} arrives with ${crd.sync} (${crd.source}) and nothing makes Argo CD wait for it: ${beforeApply.order === 'unordered' ? beforeApply.why : `${crd.sync} is applied after it`}`,
        ),
      );
      continue;
    }
    findings.push(
      error(
        c.subject,
        `${c.what}, whose dry-run of every object before the first apply (gitops-engine sync_context.go) fails: the CRD ${c.group}/${c.kind} does not exist yet, it arrives with ${crd.sync} (${crd.source}); ${why}. Sync it in an Application that Argo CD syncs after ${crd.sync}, or mark it argocd.argoproj.io/sync-options: ${'SkipDryRunOnMissingResource=true'} and order it after ${crd.sync}`,
      ),
    );
  }
  return findings;
};

const needFindings = (plan: Plan, sync: Sync): Finding[] => {
  const findings: Finding[] = [];
  for (const s of sync.steps) {
    for (const need of needsOf(s.object)) {
      const provider = plan.index.get(need.target);
      const subject = ref(s.object);
      const at = describe(s);
      if (!provider) {
        findings.push(
          error(
            subject,
            `${subject} (${at}) needs ${need.target} (${need.via}): nothing in the plan provides it`,
          ),
        );
        continue;
      }
      const o = order(plan, provider.chain, s.chain);
      if (o.order === 'before' || o.order === 'with') continue;
      // Rendered objects carry their path; controller outputs the controller's name.
      const from = provider.source.includes('/')
        ? where(provider)
        : `${where(provider)}, created by ${provider.source}`;
      if (o.order !== 'unordered') {
        findings.push(
          error(subject, `${subject} (${at}) needs ${need.target} (${need.via}), which comes later: ${from}`),
        );
        continue;
      }
      // Siblings of one ApplicationSet converge only through retries unless its RollingSync
      // steps order them (plan.ts `order`): an error like any other unordered need.
      findings.push(
        error(
          subject,
          `${subject} (${at}) needs ${need.target} (${need.via}) from ${from}, and Argo CD does not order them: ${o.why}`,
        ),
      );
    }
  }
  return findings;
};

type Json = Record<string, unknown>;
const selects = (selector: Json | undefined, labels: Record<string, string>): boolean => {
  const match = (selector?.matchLabels ?? {}) as Record<string, string>;
  const expressions = (selector?.matchExpressions ?? []) as unknown[];
  if (expressions.length) return false; // fail closed: only matchLabels are evaluated here
  return Object.entries(match).every(([k, v]) => labels[k] === v);
};

/** A hook that reaches the database needs its egress allowance in place first. */
const egressFindings = (
  plan: Plan,
  sync: Sync,
  scenarioObjects: PlanStep[],
  clusters: string[],
): Finding[] => {
  const findings: Finding[] = [];
  for (const s of sync.steps) {
    if (!s.hook) continue;
    const pod = podSpecOf(s.object);
    if (!pod) continue;
    const database = databaseOf(needsOf(s.object), clusters);
    if (!database) continue;
    const namespace = s.object.metadata.namespace;
    const policies = scenarioObjects.filter(
      (p) => p.object.kind === 'NetworkPolicy' && p.object.metadata.namespace === namespace,
    );
    const egressPolicies = policies.filter((p) => {
      const spec = p.object.spec as Json;
      return (
        ((spec.policyTypes ?? []) as string[]).includes('Egress') &&
        selects(spec.podSelector as Json, pod.labels)
      );
    });
    if (egressPolicies.length === 0) continue; // no policy isolates the hook's egress
    const allowing = egressPolicies.filter((p) =>
      ((p.object.spec as Json).egress as Json[] | undefined)?.some((rule) => {
        const ports = (rule.ports ?? []) as Json[];
        return ports.length === 0 || ports.some((port) => port.port === POSTGRES_PORT);
      }),
    );
    const subject = ref(s.object);
    const isolating = egressPolicies.map((p) => ref(p.object)).join(', ');
    if (allowing.length === 0) {
      findings.push(
        error(
          subject,
          `${subject} (${describe(s)}) needs egress to the database ${database} on ${POSTGRES_PORT}: no NetworkPolicy selecting its pod allows it, and ${isolating} isolate its egress`,
        ),
      );
      continue;
    }
    const inTime = allowing.find((p) => {
      const o = order(plan, p.chain, s.chain);
      return o.order === 'before' || o.order === 'with';
    });
    if (inTime) continue;
    const late = allowing[0] as PlanStep;
    findings.push(
      error(
        subject,
        `${subject} (${describe(s)}) needs egress to the database ${database} on ${POSTGRES_PORT}: ${ref(late.object)} allows it but is applied in ${describe(late)}, after the hook, and ${isolating} isolate the hook's egress until then`,
      ),
    );
  }
  return findings;
};

/**
 * The namespace a sync writes into exists before its dry-run: created by the same sync (its
 * Namespace object or CreateNamespace=true, both applied first), or by something Argo CD waited
 * for. Reported once per Application and namespace.
 */
const namespaceFindings = (plan: Plan, sync: Sync): Finding[] => {
  const findings: Finding[] = [];
  const namespaces = new Set(
    sync.steps
      .filter((s) => !s.source.startsWith('chart '))
      .flatMap((s) => (s.object.metadata.namespace ? [s.object.metadata.namespace] : [])),
  );
  for (const namespace of [...namespaces].sort()) {
    const target = `Namespace/${namespace}`;
    const provider = plan.index.get(target);
    if (!provider) {
      findings.push(
        error(
          sync.app,
          `${sync.app} syncs objects into namespace ${namespace}, which nothing in the plan creates (no Namespace object, no CreateNamespace=true)`,
        ),
      );
      continue;
    }
    if (provider.sync === sync.app) continue;
    const o = order(plan, provider.chain, sync.chain);
    if (o.order === 'before') continue;
    const why = o.order === 'unordered' ? o.why : `${provider.sync} is applied after it`;
    findings.push(
      error(
        sync.app,
        `${sync.app} syncs objects into namespace ${namespace}, which ${describe(provider)} creates, and Argo CD does not order them: ${why}`,
      ),
    );
  }
  return findings;
};

/**
 * An Application that no RollingSync step selects is never synced by the ApplicationSet
 * controller (argo-cd v3.5.1 docs/operator-manual/applicationset/Progressive-Syncs.md).
 */
const rollingFindings = (sync: Sync): Finding[] => {
  const link = sync.chain.at(-1);
  if (!link?.generated || link.rollingStep !== -1) return [];
  return [
    error(
      sync.app,
      `${sync.app} is generated by ${link.sync}, whose RollingSync steps select it in no step: the ApplicationSet controller never syncs it (label it for a step)`,
    ),
  ];
};

export const checkPlan = (plan: Plan): Finding[] => {
  const steps = plan.syncs.flatMap((s) => s.steps);
  // The scenario's database Clusters, once per plan rather than once per sync.
  const clusters = steps.filter((s) => s.object.kind === 'Cluster').map((s) => s.object.metadata.name);
  return plan.syncs.flatMap((sync) => [
    ...rollingFindings(sync),
    ...namespaceFindings(plan, sync),
    ...crdFindings(plan, sync),
    ...needFindings(plan, sync),
    ...egressFindings(plan, sync, steps, clusters),
  ]);
};

export const syncPlanCheck: RehearsalCheck = {
  name: 'sync-plan',
  run(scenario: Scenario): Finding[] {
    try {
      return checkPlan(buildPlan(scenario));
    } catch (e) {
      if (e instanceof PlanError) return [error(scenario.name, e.message)];
      throw e;
    }
  },
};
