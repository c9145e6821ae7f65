/**
 * Holds: written by `npm run rollback`; a held image digest may not be promoted into the
 * environment again until the hold is removed (docs/design/release-model.md §Promotion rules).
 * Pinned to the environment.
 */
import { z } from 'zod';
import { APP_NAMES } from '../../catalogue/apps.js';

export const hold = z.strictObject({
  app: z.enum(APP_NAMES, {
    error: (iss) => `must be one of ${APP_NAMES.join(', ')} (got ${JSON.stringify(iss.input)})`,
  }),
  /** The exact image reference (with digest) that was rolled back. */
  image: z.string().min(1),
  reason: z.string().min(1, { error: 'a hold needs a reason' }),
  /** The commit that introduced the hold (the rollback commit). */
  since: z.string().min(1),
});

export const holdsSection = {
  /** Image digests that may not be promoted here. Default: none. */
  holds: z.array(hold).default([]),
};
