import { parseDuration } from '../../environments/duration.js';
import type { AnalysisSettings } from '../../environments/sections/operations.js';
import type { K8sObject } from '../../render/types.js';
import type { BuilderContext } from '../context.js';
import { moduleSource } from '../factory.js';
import { meta, syncWave } from '../labels.js';
import { RESTRICTED_CONTAINER_SECURITY, RESTRICTED_POD_SECURITY } from './migration-job.js';

/** This builder's module, named in the header of every file it contributes to. */
export const MODULE = moduleSource(import.meta.url);

/**
 * AnalysisTemplates (Argo Rollouts, Prometheus provider) and the strategy fragments that use them.
 * docs/design/argo.md §Analysis.
 *
 * How canary and stable are told apart: the PodMonitors copy the pod label
 * `rollouts-pod-template-hash` onto every series as `rollouts_pod_template_hash` (contract in
 * apps/worker/README.md and apps/api/README.md, "Metrics"), and the Rollout passes the new
 * ReplicaSet's hash as the `canary-hash` argument (`valueFrom.podTemplateHashValue: Latest`).
 * Every query filters on it, so a canary is judged on its own requests and jobs only.
 *
 * Timing (settings.analysis): `interval` 1m × `count` 5 gives five minutes of evidence per inline
 * step; `failureLimit` 1 tolerates a single bad minute (a cold start, one slow scrape) and aborts
 * on the second; `inconclusiveLimit` 2 lets two quiet minutes pass before a human is asked;
 * `consecutiveErrorLimit` 4 (the upstream default, made explicit) survives a short Prometheus
 * outage without judging the release. Background runs have no `count`: they watch the whole
 * rollout and end when it completes (only valid for background analysis,
 * docs/design/argo.md §Analysis).
 *
 * Empty and NaN results: a query that sees no traffic returns an empty vector (no series) or NaN
 * (0/0). Both are "no data", never success or failure by accident: with `noData: inconclusive`
 * neither condition matches and the run is Inconclusive (rollout pauses); with `noData: pass`
 * the success condition accepts them explicitly. A volume guard (`and on() … >= minRequests`)
 * turns too few requests into "no data" as well, so 1 failure out of 3 requests cannot abort.
 */

export const ANALYSIS_TEMPLATE_NAMES = {
  apiStep: 'api-canary-step',
  apiBackground: 'api-canary-background',
  frontend: 'frontend-success-rate',
  frontendSmoke: 'frontend-smoke',
  workerBackground: 'worker-canary-background',
} as const;

const CANARY_HASH_ARG = 'canary-hash';
const HASH = `{{args.${CANARY_HASH_ARG}}}`;

/** Rate window: twice the measurement interval (at least 2m) so every window holds several scrapes. */
export function rateWindow(interval: string): string {
  return `${Math.max(120, (2 * parseDuration(interval)) / 1000)}s`;
}

/** `result[0] <op> threshold` with explicit empty/NaN handling (see module comment). */
export function conditions(
  op: '>=' | '<=',
  threshold: number,
  noData: AnalysisSettings['noData'],
): { successCondition: string; failureCondition: string } {
  const bad = op === '>=' ? '<' : '>';
  const hasData = 'len(result) > 0 && !isNaN(result[0])';
  const noDataOk = 'len(result) == 0 || isNaN(result[0])';
  return {
    successCondition:
      noData === 'pass'
        ? `${noDataOk} || result[0] ${op} ${threshold}`
        : `${hasData} && result[0] ${op} ${threshold}`,
    failureCondition: `${hasData} && result[0] ${bad} ${threshold}`,
  };
}

function selector(ns: string, extra: string): string {
  return `namespace="${ns}",rollouts_pod_template_hash="${HASH}"${extra}`;
}

interface MetricSpec {
  name: string;
  query: string;
  op: '>=' | '<=';
  threshold: number;
}

function metric(s: AnalysisSettings, spec: MetricSpec, count: number | undefined): Record<string, unknown> {
  return {
    name: spec.name,
    interval: s.interval,
    ...(count === undefined ? {} : { count }),
    failureLimit: s.failureLimit,
    inconclusiveLimit: 2,
    consecutiveErrorLimit: 4,
    ...conditions(spec.op, spec.threshold, s.noData),
    provider: { prometheus: { address: s.prometheusAddress, timeout: 30, query: spec.query } },
  };
}

/** `args`: the canary hash for the Prometheus templates; none for the smoke test, which reads no metric. */
function template(
  ctx: BuilderContext,
  name: string,
  metrics: Array<Record<string, unknown>>,
  args = true,
): K8sObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: meta(name, ctx.namespace, ctx.labels, syncWave(-1)),
    spec: { ...(args ? { args: [{ name: CANARY_HASH_ARG }] } : {}), metrics },
  };
}

function httpMetrics(ctx: BuilderContext, app: 'api' | 'frontend', s: AnalysisSettings, successRate: number) {
  const ns = ctx.namespace ?? '';
  const w = rateWindow(s.interval);
  const sel = selector(ns, `,app="${app}"`);
  const volume = `and on() sum(increase(http_requests_total{${sel}}[${w}])) >= ${s.minRequests}`;
  const success: MetricSpec = {
    name: 'success-rate',
    op: '>=',
    threshold: successRate,
    query:
      `(sum(rate(http_requests_total{${sel},status!~"5.."}[${w}])) / ` +
      `sum(rate(http_requests_total{${sel}}[${w}]))) ${volume}`,
  };
  const latency: MetricSpec = {
    name: 'p95-latency',
    op: '<=',
    threshold: s.apiP95Seconds,
    query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel}}[${w}]))) ${volume}`,
  };
  return { success, latency };
}

function workerFailure(ctx: BuilderContext, s: AnalysisSettings): MetricSpec {
  const sel = selector(ctx.namespace ?? '', '');
  const w = rateWindow(s.interval);
  return {
    name: 'job-failure-rate',
    op: '<=',
    threshold: s.workerMaxFailureRate,
    query:
      `(sum(rate(payday_jobs_processed_total{${sel},outcome=~"retried|dead"}[${w}])) / ` +
      `sum(rate(payday_jobs_processed_total{${sel}}[${w}]))) ` +
      `and on() sum(increase(payday_jobs_processed_total{${sel}}[${w}])) >= ${s.minRequests}`,
  };
}

/** Labels of the frontend smoke-test pods: the NetworkPolicies let them reach the frontend. */
export const FRONTEND_SMOKE_LABELS = {
  'app.kubernetes.io/name': 'frontend-smoke',
  'app.kubernetes.io/component': 'smoke-test',
  'app.kubernetes.io/part-of': 'payday',
} as const;

/**
 * Requests real pages through the preview Service until `SMOKE_SECONDS` have passed and fails on
 * the first 4xx/5xx or connection error. Nothing else sends traffic to the preview stack before
 * promotion, so without it the success-rate guard would see probes only (docs/rehearsal.md,
 * "Metric provenance"). `/` answers 303 to `/login` when signed out; both render server-side.
 */
const SMOKE_SCRIPT = `const base = process.env.PREVIEW_URL;
const until = Date.now() + Number(process.env.SMOKE_SECONDS) * 1000;
let n = 0;
do {
  for (const path of ['/login', '/']) {
    const res = await fetch(base + path, { redirect: 'manual' });
    if (res.status >= 400) { console.error('GET ' + path + ': ' + res.status); process.exit(1); }
    n++;
  }
  await new Promise((r) => setTimeout(r, 2000));
} while (Date.now() < until);
console.log(n + ' requests through ' + base + ' succeeded');`;

/**
 * The frontend's pre-promotion smoke test: an Argo Rollouts `job` metric (argo-rollouts v1.9.1
 * docs/analysis/job.md: the measurement succeeds when the Job does). It runs for as long as the
 * success-rate metric measures (count × interval), so every measurement sees real requests; with
 * analysis off it still gates the switch on 30 seconds of successful pages. The client image is
 * the API's: any image with node would do, and that one is pinned by digest in every environment.
 */
export function frontendSmokeTemplate(ctx: BuilderContext, s: AnalysisSettings): K8sObject | undefined {
  const image = ctx.env.release.api?.image;
  if (ctx.preview || !image) return undefined;
  const fe = ctx.apps.frontend;
  const seconds = s.enabled ? ((s.count ?? 1) * parseDuration(s.interval)) / 1000 : 30;
  const labels = { ...ctx.labels, ...FRONTEND_SMOKE_LABELS };
  const job = {
    metadata: { labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: seconds + 120,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: RESTRICTED_POD_SECURITY,
          containers: [
            {
              name: 'smoke',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['node', '--input-type=module', '-e', SMOKE_SCRIPT],
              env: [
                { name: 'PREVIEW_URL', value: `http://${fe.name}-preview:${fe.servicePort}` },
                { name: 'SMOKE_SECONDS', value: String(seconds) },
                { name: 'HOME', value: '/tmp' },
              ],
              resources: {
                requests: { cpu: '50m', memory: '64Mi' },
                limits: { cpu: '200m', memory: '128Mi' },
              },
              securityContext: RESTRICTED_CONTAINER_SECURITY,
              // node may write under HOME and TMPDIR; the root filesystem is read-only.
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '16Mi' } }],
        },
      },
    },
  };
  return template(ctx, ANALYSIS_TEMPLATE_NAMES.frontendSmoke, [{ name: 'smoke', provider: { job } }], false);
}

/**
 * The AnalysisTemplates of one environment; none in preview mode, only the frontend smoke test
 * when analysis is off.
 */
export function analysisTemplates(ctx: BuilderContext, s: AnalysisSettings): K8sObject[] {
  if (ctx.preview) return [];
  const smoke = frontendSmokeTemplate(ctx, s);
  if (!s.enabled) return smoke ? [smoke] : [];
  const api = httpMetrics(ctx, 'api', s, s.apiSuccessRate);
  const fe = httpMetrics(ctx, 'frontend', s, s.frontendSuccessRate);
  const n = ANALYSIS_TEMPLATE_NAMES;
  return [
    template(ctx, n.apiStep, [metric(s, api.success, s.count), metric(s, api.latency, s.count)]),
    template(ctx, n.apiBackground, [metric(s, api.success, undefined), metric(s, api.latency, undefined)]),
    template(ctx, n.frontend, [metric(s, fe.success, s.count)]),
    ...(smoke ? [smoke] : []),
    template(ctx, n.workerBackground, [metric(s, workerFailure(ctx, s), undefined)]),
  ];
}

const canaryHashArg = [{ name: CANARY_HASH_ARG, valueFrom: { podTemplateHashValue: 'Latest' } }];

/** One canary step: `setWeight`, `pause` or an inline analysis (the shape render's strategy settings use). */
export type CanaryStep = Record<string, unknown>;

/** The inline analysis step the API canary runs after each pause. */
export function apiAnalysisStep(): CanaryStep {
  return {
    analysis: { templates: [{ templateName: ANALYSIS_TEMPLATE_NAMES.apiStep }], args: canaryHashArg },
  };
}

/**
 * Inserts the inline analysis step after every pause of the configured steps (the pause lets
 * traffic reach the canary; the analysis then judges it before the next weight). Steps that
 * already hold an analysis are left as they are.
 */
export function gateCanarySteps(steps: CanaryStep[], s: AnalysisSettings): CanaryStep[] {
  if (!s.enabled || steps.some((step) => 'analysis' in step)) return steps;
  return steps.flatMap((step) => ('pause' in step ? [step, apiAnalysisStep()] : [step]));
}

/** `strategy.canary.analysis` (background) for the API: starts with the first step, runs to the end. */
export function apiBackgroundAnalysis(s: AnalysisSettings): Record<string, unknown> | undefined {
  if (!s.enabled) return undefined;
  return {
    templates: [{ templateName: ANALYSIS_TEMPLATE_NAMES.apiBackground }],
    startingStep: 1,
    args: canaryHashArg,
  };
}

/** `strategy.canary.analysis` for the worker: job failure rate of the canary ReplicaSet. */
export function workerBackgroundAnalysis(s: AnalysisSettings): Record<string, unknown> | undefined {
  if (!s.enabled) return undefined;
  return { templates: [{ templateName: ANALYSIS_TEMPLATE_NAMES.workerBackground }], args: canaryHashArg };
}

/**
 * Blue/green analysis for the frontend: `prePromotionAnalysis` gates the switch on the smoke test
 * (real pages through the preview Service) and, with analysis on, on the success rate those
 * requests produce; (prod) `postPromotionAnalysis` switches back on failure. The caller must not
 * set `autoPromotionSeconds`: when it elapses the controller marks the gating run successful
 * (docs/design/argo.md §Frontend blue/green).
 */
export function frontendBlueGreenAnalysis(s: AnalysisSettings): {
  prePromotionAnalysis?: Record<string, unknown>;
  postPromotionAnalysis?: Record<string, unknown>;
} {
  const smoke = { templateName: ANALYSIS_TEMPLATE_NAMES.frontendSmoke };
  if (!s.enabled) return { prePromotionAnalysis: { templates: [smoke] } };
  const rate = { templateName: ANALYSIS_TEMPLATE_NAMES.frontend };
  const pre = { templates: [smoke, rate], args: canaryHashArg };
  const post = { templates: [rate], args: canaryHashArg };
  return s.postPromotion
    ? { prePromotionAnalysis: pre, postPromotionAnalysis: post }
    : { prePromotionAnalysis: pre };
}
