import { type Labels, rec, spec } from './meta.js';
import { podFromTemplate } from './pod-template.js';
import type { ExpansionRule } from './types.js';

/**
 * Job → its Pod. The API server adds `batch.kubernetes.io/job-name` and `job-name` to the pod
 * template when it generates the selector (the `controller-uid` labels too, whose value is
 * the Job's uid and unknown offline); the Job controller then creates Pods from that template.
 * One representative Pod (parallelism and retries create identical ones).
 */
export const jobRule: ExpansionRule = {
  kind: 'Job',
  group: 'batch',
  controller: 'kube-controller-manager',
  rule: 'kubernetes v1.34.0 pkg/registry/batch/job/strategy.go generateSelector; pkg/controller/job/job_controller.go manageJob',
  expand(job) {
    const template = rec(spec(job).template);
    const labels: Labels = {
      'batch.kubernetes.io/job-name': job.metadata.name,
      'job-name': job.metadata.name,
    };
    return [podFromTemplate(job, template, { labels })];
  },
};
