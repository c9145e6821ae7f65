/**
 * Rules that span sections of one environment file. Each adds zod issues with a path into the
 * file, so the loader can point at the exact line. Rules across files (lineage) are in lineage.ts.
 */
import type { z } from 'zod';
import { APP_NAMES } from '../catalogue/apps.js';
import type { EnvironmentSettings } from './base-schema.js';
import { parseImageRef } from './image-ref.js';

type Check = (env: EnvironmentSettings, ctx: z.RefinementCtx) => void;

/** Every enabled app needs a release (what would it run?). */
const releaseForEnabledApps: Check = (env, ctx) => {
  for (const app of APP_NAMES) {
    if (env.apps[app].enabled && !env.release[app]) {
      ctx.addIssue({
        code: 'custom',
        path: ['release'],
        message: `missing release for ${app} (it is enabled; set apps.${app}.enabled: false to leave it out)`,
      });
    }
  }
};

/** Images come from the environment's registry, from the app's own repository, by digest if required. */
const imagesFollowPolicy: Check = (env, ctx) => {
  for (const app of APP_NAMES) {
    const rel = env.release[app];
    if (!rel) continue;
    const ref = parseImageRef(rel.image);
    if ('error' in ref) continue; // reported by the field schema
    const path = ['release', app, 'image'];
    const expected = `${env.images.registry}/${app}`;
    if (ref.repository !== expected) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `image must come from ${expected} (got ${ref.repository})`,
      });
    } else if (env.images.requireDigest && !ref.digest) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `image must be pinned by digest in this environment (${expected}@sha256:<64 hex>)`,
      });
    } else if (!ref.digest && ref.tag === 'latest') {
      ctx.addIssue({
        code: 'custom',
        path,
        message: 'the floating tag "latest" is never allowed; pin a digest',
      });
    }
  }
};

export const checks: Check[] = [releaseForEnabledApps, imagesFollowPolicy];
