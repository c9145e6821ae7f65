import type { K8sObject } from '../model.js';
import { clone, controllerRef, type Labels, rec, spec } from './meta.js';
import type { ExpansionRule } from './types.js';

/** The schedule time the rehearsal plays: a fixed instant, so the Job name is reproducible. */
export const SCHEDULED_TIME = new Date('2026-01-01T00:00:00Z');

/**
 * CronJob → the Job of one scheduled run: `<name>-<scheduled time in minutes>`, labels and
 * annotations copied from `jobTemplate.metadata`, plus the scheduled-timestamp annotation.
 */
export const cronJobRule: ExpansionRule = {
  kind: 'CronJob',
  group: 'batch',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/controller/cronjob/utils.go getJobFromTemplate2',
  expand(cj) {
    const jt = rec(spec(cj).jobTemplate);
    const meta = rec(jt.metadata);
    const minutes = Math.floor(SCHEDULED_TIME.getTime() / 60_000);
    const job: K8sObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: {
        name: `${cj.metadata.name}-${minutes}`,
        ...(cj.metadata.namespace ? { namespace: cj.metadata.namespace } : {}),
        ...(meta.labels ? { labels: clone(meta.labels as Labels) } : {}),
        annotations: {
          ...(meta.annotations as Labels | undefined),
          'batch.kubernetes.io/cronjob-scheduled-timestamp': SCHEDULED_TIME.toISOString().replace(
            '.000Z',
            'Z',
          ),
        },
        ownerReferences: [controllerRef(cj)],
      },
      spec: clone(rec(jt.spec)),
    };
    return [job];
  },
};
