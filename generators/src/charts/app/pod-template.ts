/**
 * The pod template every app runs with. It meets the Pod Security Standards `restricted`
 * profile (kubernetes.io/docs/concepts/security/pod-security-standards: non-root, no privilege
 * escalation, drop ALL capabilities, seccomp RuntimeDefault) and adds what a payments service
 * needs: a read-only root filesystem with a writable /tmp, requests and limits, probes on
 * `/readyz` and `/healthz`, and a graceful shutdown (native preStop sleep, KEP-3960, so endpoints
 * stop sending traffic before SIGTERM; terminationGracePeriodSeconds for draining).
 *
 * Typed with the Rollout CRD import: the same template also feeds the preview Deployment.
 */

import { APPS, type AppName } from '../../catalogue/apps.js';
import type { AppSettings } from '../../environments/schema.js';
import {
  RolloutSpecTemplateSpecContainersLivenessProbeHttpGetPort as LivenessPort,
  RolloutSpecTemplateSpecContainersReadinessProbeHttpGetPort as ReadinessPort,
  type RolloutSpecTemplate,
  RolloutSpecTemplateSpecContainersStartupProbeHttpGetPort as StartupPort,
} from '../../imports/rollouts-argoproj.io.js';

/** The uid/gid the app images run as (not 0: `runAsNonRoot` needs a numeric non-root user). */
export const APP_UID = 10001;

export interface PodTemplateProps {
  app: AppName;
  image: string;
  settings: AppSettings;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  serviceAccountName: string;
  configMapName: string;
}

export function podTemplate(p: PodTemplateProps): RolloutSpecTemplate {
  const traits = APPS[p.app];
  const { resources, shutdown } = p.settings;
  return {
    metadata: { labels: p.labels, annotations: p.annotations },
    spec: {
      serviceAccountName: p.serviceAccountName,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: APP_UID,
        runAsGroup: APP_UID,
        fsGroup: APP_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [
        {
          name: p.app,
          image: p.image,
          // A digest never changes content, so the node cache is always right.
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: traits.port, protocol: 'TCP' }],
          envFrom: [{ configMapRef: { name: p.configMapName } }],
          env: [
            { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          ],
          // Untyped in the Rollout CRD (stripped upstream to keep it small); the core
          // PodTemplateSpec schema checks it at render (validate/validate.ts).
          resources: {
            requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
            limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
          },
          startupProbe: {
            httpGet: { path: '/healthz', port: StartupPort.fromString('http') },
            periodSeconds: 2,
            failureThreshold: 30,
          },
          readinessProbe: {
            httpGet: { path: '/readyz', port: ReadinessPort.fromString('http') },
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 2,
          },
          livenessProbe: {
            httpGet: { path: '/healthz', port: LivenessPort.fromString('http') },
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          ...(shutdown.preStopSleepSeconds > 0
            ? { lifecycle: { preStop: { sleep: { seconds: shutdown.preStopSleepSeconds } } } }
            : {}),
          securityContext: {
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
        },
      ],
      // The Rollout CRD leaves volumes untyped (x-kubernetes-preserve-unknown-fields); the Pod schema checks them.
      volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
    },
  };
}
