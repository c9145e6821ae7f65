/**
 * Per-app settings pinned to the environment (never promoted): replicas or autoscaling bounds,
 * rollout strategy and steps, resources, shutdown timing, hostname, extra environment variables.
 * Defaults come from the app catalogue (generators/src/catalogue/apps.ts).
 */
import { z } from 'zod';
import { APP_NAMES, APPS, type AppName, type AppTraits } from '../../catalogue/apps.js';
import { controllerDuration, count, envVarName, got, hostname, positiveInt, quantity } from '../fields.js';

/** `25%` or a whole number, as Rollouts' maxSurge/maxUnavailable (int-or-string). */
const intOrPercent = z.union([z.int().min(0), z.string().regex(/^\d+%$/)], {
  error: (iss) => `must be a whole number or a percentage such as 25%${got(iss.input)}`,
});

export const canaryStep = z
  .strictObject({
    /** Percentage of replicas on the new version (replica-weighted without a traffic router). */
    setWeight: z.int().min(0).max(100, { error: 'setWeight must be between 0 and 100' }).optional(),
    /** Wait; without `duration` the rollout waits until promoted by hand. */
    pause: z.strictObject({ duration: controllerDuration.optional() }).optional(),
  })
  .superRefine((step, ctx) => {
    if ((step.setWeight === undefined) === (step.pause === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a step has exactly one of setWeight or pause' });
    }
  });

export const canary = z.strictObject({
  /** Steps of the canary. Default: the app's steps in the catalogue. */
  steps: z.array(canaryStep).optional(),
  /** Extra pods during an update. Default `25%`. */
  maxSurge: intOrPercent.default('25%'),
  /** Pods that may be unavailable during an update. Default `0`. */
  maxUnavailable: intOrPercent.default(0),
});

export const blueGreen = z.strictObject({
  /** Switch to the new version once it is ready (and its pre-promotion analysis passed). Default `true`. */
  autoPromotionEnabled: z.boolean().default(true),
  /** Replicas of the preview stack before promotion. Default: full size. */
  previewReplicaCount: positiveInt('previewReplicaCount').optional(),
  /** Seconds the old stack stays up after the switch (fast rollback). Default `30`. */
  scaleDownDelaySeconds: count('scaleDownDelaySeconds').default(30),
});

export const strategy = z
  .strictObject({ canary: canary.optional(), blueGreen: blueGreen.optional() })
  .superRefine((s, ctx) => {
    const kinds = Object.keys(s).filter((k) => s[k as keyof typeof s] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'set exactly one of strategy.canary or strategy.blueGreen' });
    }
  });

const resources = (d: AppTraits['defaults']['resources']) =>
  z
    .strictObject({
      requests: z
        .strictObject({ cpu: quantity.default(d.requests.cpu), memory: quantity.default(d.requests.memory) })
        .prefault({}),
      limits: z
        .strictObject({ cpu: quantity.default(d.limits.cpu), memory: quantity.default(d.limits.memory) })
        .prefault({}),
    })
    .prefault({});

function appSettings(app: AppName) {
  const traits = APPS[app];
  const d = traits.defaults;
  const base = {
    /** Deploy the app in this environment. Default `true`. */
    enabled: z.boolean().default(true),
    /** Fixed replica count. Default: the catalogue's (2). Leave unset when `autoscaling` is set. */
    replicas: count('replicas').optional(),
    /** Autoscaling bounds; when set, `replicas` is not rendered (the autoscaler owns it). */
    autoscaling: z
      .strictObject({ minReplicas: count('minReplicas'), maxReplicas: positiveInt('maxReplicas') })
      .superRefine((a, ctx) => {
        if (a.minReplicas > a.maxReplicas) {
          ctx.addIssue({
            code: 'custom',
            path: ['minReplicas'],
            message: `minReplicas (${a.minReplicas}) must not exceed maxReplicas (${a.maxReplicas})`,
          });
        }
      })
      .optional(),
    /** Rollout strategy. Default: the catalogue's first supported strategy. */
    strategy: strategy.optional(),
    /** Requests and limits of the app container. Defaults per app in the catalogue. */
    resources: resources(d.resources),
    shutdown: z
      .strictObject({
        /** Seconds between SIGTERM and SIGKILL. */
        terminationGracePeriodSeconds: count('terminationGracePeriodSeconds').default(
          d.terminationGracePeriodSeconds,
        ),
        /** Native preStop sleep before SIGTERM (0 = none). */
        preStopSleepSeconds: count('preStopSleepSeconds').default(d.preStopSleepSeconds),
      })
      .prefault({}),
    /** Extra environment variables pinned to the environment (e.g. LOG_LEVEL). Default `{}`. */
    env: z
      .record(envVarName, z.string({ error: (iss) => `must be a string (quote it)${got(iss.input)}` }))
      .default({}),
  };
  // Only apps that serve traffic have a hostname: for the worker it is an unknown key.
  const shape = traits.serves ? { ...base, hostname: hostname.optional() } : base;
  return z
    .strictObject(shape)
    .superRefine((s, ctx) => {
      if (s.replicas !== undefined && s.autoscaling !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['replicas'],
          message: 'set either replicas or autoscaling, not both (the autoscaler owns replicas)',
        });
      }
      const kind =
        s.strategy &&
        (Object.keys(s.strategy).find((k) => s.strategy![k as 'canary'] !== undefined) as
          | 'canary'
          | 'blueGreen'
          | undefined);
      if (kind && !traits.strategies.includes(kind)) {
        ctx.addIssue({
          code: 'custom',
          path: ['strategy', kind],
          message: `${app} does not support the ${kind} strategy (supported: ${traits.strategies.join(', ')})`,
        });
      }
    })
    .prefault({});
}

const appsShape = Object.fromEntries(APP_NAMES.map((app) => [app, appSettings(app)])) as {
  [K in AppName]: ReturnType<typeof appSettings>;
};

export const appsSection = {
  apps: z.strictObject(appsShape).prefault({}),
};
