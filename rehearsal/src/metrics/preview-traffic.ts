/**
 * A blue/green pre-promotion analysis only means something if real requests reach the preview
 * pods: nothing routes users to the preview Service, so without a smoke-test Job the analysis
 * sees probes alone (argo-rollouts v1.9.1 docs/features/bluegreen.md: the preview Service
 * receives no production traffic before promotion).
 */
import type { K8sObject } from '../model.js';

interface BlueGreen {
  previewService?: string;
  prePromotionAnalysis?: { templates?: { templateName?: string; clusterScope?: boolean }[] };
}

/**
 * The pre-promotion analyses that send no traffic to the preview Service: none of their
 * templates has a `job` provider whose Job names the Service.
 */
export function previewTrafficProblems(
  objects: readonly K8sObject[],
): { object: K8sObject; message: string }[] {
  const out: { object: K8sObject; message: string }[] = [];
  for (const rollout of objects) {
    if (rollout.kind !== 'Rollout') continue;
    const bg = (rollout.spec as { strategy?: { blueGreen?: BlueGreen } } | undefined)?.strategy?.blueGreen;
    const refs = bg?.prePromotionAnalysis?.templates ?? [];
    if (!bg?.previewService || refs.length === 0) continue;
    const names = refs.map((r) => r.templateName ?? '');
    const templates = objects.filter(
      (o) =>
        (o.kind === 'AnalysisTemplate' &&
          o.metadata.namespace === rollout.metadata.namespace &&
          names.includes(o.metadata.name)) ||
        (o.kind === 'ClusterAnalysisTemplate' && names.includes(o.metadata.name)),
    );
    const service = bg.previewService;
    const sendsTraffic = templates.some((t) =>
      ((t.spec as { metrics?: { provider?: { job?: unknown } }[] }).metrics ?? []).some(
        (m) => m.provider?.job !== undefined && JSON.stringify(m.provider.job).includes(service),
      ),
    );
    if (!sendsTraffic)
      out.push({
        object: rollout,
        message: `pre-promotion analysis ${names.join(', ')} sends no traffic to Service ${service}: only probes reach the preview pods, so a green analysis proves no real request succeeded (add a job metric whose Job requests pages through ${service})`,
      });
  }
  return out;
}
