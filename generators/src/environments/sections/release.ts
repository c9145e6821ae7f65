/**
 * The release block: the ONLY part of an environment file a promotion copies
 * (docs/design/environments.md §Promoted or pinned). Per app: the human version, the image pinned
 * by digest, and release-coupled config (feature flags that travel with a build). Everything else
 * in the file stays with the environment.
 */
import { z } from 'zod';
import { APP_NAMES, type AppName } from '../../catalogue/apps.js';
import { configValue, envVarName, got, semver } from '../fields.js';
import { parseImageRef } from '../image-ref.js';

export const appRelease = z.strictObject({
  /** Human version shown in dashboards and promotion messages (semver). Required. */
  version: semver,
  /** `ghcr.io/payday/<app>@sha256:<64 hex>`. Required. */
  image: z
    .string({ error: (iss) => `must be an image reference string${got(iss.input)}` })
    .superRefine((value, ctx) => {
      const ref = parseImageRef(value);
      if ('error' in ref) ctx.addIssue({ code: 'custom', message: ref.error });
    }),
  /** Release-coupled settings, rendered into the app's ConfigMap as environment variables. Default `{}`. */
  config: z.record(envVarName, configValue).default({}),
});
export type AppRelease = z.output<typeof appRelease>;

const releaseShape = Object.fromEntries(APP_NAMES.map((app) => [app, appRelease.optional()])) as Record<
  AppName,
  z.ZodOptional<typeof appRelease>
>;

export const releaseSection = {
  /** Per app release. Required for every enabled app (checked in checks.ts). */
  release: z.strictObject(releaseShape).prefault({}),
};
