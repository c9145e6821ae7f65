/**
 * Argo CD sync behaviour of the environment's Applications
 * (docs/design/argo.md §Sync policy and windows, Argo CD "Automated Sync Policy" and "Sync Windows"
 * docs). Pinned to the environment.
 */
import { z } from 'zod';
import { duration } from '../fields.js';

export const syncWindow = z.strictObject({
  /** `allow`: syncs only inside allow windows; `deny`: never inside (deny wins). */
  kind: z.enum(['allow', 'deny']),
  /** Cron expression of the window start (Argo CD uses robfig/cron, 5 fields). */
  schedule: z.string().regex(/^\S+( \S+){4}$/, { error: 'must be a 5-field cron expression' }),
  /** Window length, e.g. `8h`. */
  duration,
  /** IANA time zone of the schedule. Default `UTC`. */
  timeZone: z.string().default('UTC'),
  /** Let humans sync manually outside the window (emergencies). Default `true`. */
  manualSync: z.boolean().default(true),
});

export const syncSection = {
  sync: z
    .strictObject({
      /** Sync automatically on every commit (inside windows, if any). Default `true`. */
      automated: z.boolean().default(true),
      /** Delete live objects that are no longer rendered. Default `true`. */
      prune: z.boolean().default(true),
      /** Revert manual changes in the cluster. Default `true`. */
      selfHeal: z.boolean().default(true),
      /** Keep live objects when an Application is deleted (prod, databases). Default `false`. */
      preserveResourcesOnDeletion: z.boolean().default(false),
      /** Argo CD sync windows on the environment's AppProject. Default: none (always). */
      windows: z.array(syncWindow).default([]),
    })
    .prefault({}),
};
