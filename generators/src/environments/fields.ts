/**
 * Field types shared by the environment sections, each with the message a release engineer
 * should read when it is wrong. Kubernetes grammars cite their source.
 */
import { z } from 'zod';
import { CONTROLLER_DURATION, isDuration } from './duration.js';

/** A count such as replicas: a whole number, never negative. */
export const count = (what = 'value') =>
  z.int({ error: (iss) => `${what} must be a whole number ≥ 0${got(iss.input)}` }).min(0, {
    error: (iss) => `${what} must be a whole number ≥ 0${got(iss.input)}`,
  });

export const positiveInt = (what = 'value') =>
  z.int({ error: (iss) => `${what} must be a whole number ≥ 1${got(iss.input)}` }).min(1, {
    error: (iss) => `${what} must be a whole number ≥ 1${got(iss.input)}`,
  });

/** Kubernetes resource quantity (k8s.io/apimachinery resource.Quantity): `100m`, `1`, `256Mi`. */
export const quantity = z
  .string({ error: (iss) => `must be a quantity string such as 100m or 256Mi${got(iss.input)}` })
  .regex(/^(?:\d+(?:\.\d+)?|\.\d+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei|e\d+)?$/, {
    error: (iss) => `must be a quantity such as 100m or 256Mi${got(iss.input)}`,
  });

/** Go-style duration with a day unit (see duration.ts). */
export const duration = z
  .string({ error: (iss) => `must be a duration such as 24h or 1h30m${got(iss.input)}` })
  .refine(isDuration, { error: (iss) => `must be a duration such as 24h or 1h30m${got(iss.input)}` });

/** A duration a controller reads verbatim (Rollouts pause and analysis interval, External Secrets refresh): one unit only. */
export const controllerDuration = z
  .string({ error: (iss) => `must be a duration such as 30s, 10m or 1h${got(iss.input)}` })
  .regex(CONTROLLER_DURATION, {
    error: (iss) => `must be a duration such as 30s, 10m or 1h${got(iss.input)}`,
  });

/** RFC 1123 label, as Kubernetes validates namespace and environment names. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const dnsLabel = z
  .string({ error: (iss) => `must be a string${got(iss.input)}` })
  .max(63)
  .regex(DNS1123_LABEL, {
    error: (iss) => `must be a DNS-1123 label (lowercase a-z, 0-9, -)${got(iss.input)}`,
  });

/** RFC 1123 hostname (a DNS subdomain without a trailing dot). */
export const hostname = z
  .string({ error: (iss) => `must be a hostname${got(iss.input)}` })
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: (iss) => `must be a lowercase DNS hostname${got(iss.input)}`,
  });

/** An environment variable name as the apps read it (POSIX portable names, upper case). */
export const envVarName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
  error: (iss) => `must be an UPPER_SNAKE_CASE variable name${got(iss.input)}`,
});

/** Values an app config may hold; rendered as ConfigMap strings. */
export const configValue = z.union([z.string(), z.number(), z.boolean()], {
  error: (iss) => `must be a string, number or boolean${got(iss.input)}`,
});

/** RFC 3339 timestamp with a zone (`2026-12-20T00:00:00Z`). */
export const timestamp = z.iso.datetime({
  offset: true,
  error: (iss) => `must be an RFC 3339 timestamp such as 2026-12-20T00:00:00Z${got(iss.input)}`,
});

/** Semantic Versioning 2.0.0 (semver.org), without a leading v. */
export const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
export const semver = z
  .string({ error: (iss) => `must be a semantic version string such as 1.4.2 (quote it)${got(iss.input)}` })
  .regex(SEMVER, { error: (iss) => `must be a semantic version such as 1.4.2${got(iss.input)}` });

/** ` (got …)` suffix naming the offending value; empty when there was none. */
export function got(input: unknown): string {
  if (input === undefined) return '';
  return ` (got ${JSON.stringify(input)})`;
}
