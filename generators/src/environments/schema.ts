/**
 * The validated environment: the assembled sections plus the cross-section checks, and the
 * resolved view the generators use (defaults that depend on other fields filled in).
 */
import type { z } from 'zod';
import { APPS, type AppName, type StrategyKind } from '../catalogue/apps.js';
import { baseEnvironmentSchema } from './base-schema.js';
import { checks } from './checks.js';
import { blueGreen, canary } from './sections/apps.js';

export const environmentSchema = baseEnvironmentSchema.superRefine((env, ctx) => {
  for (const check of checks) check(env, ctx);
});

export type EnvironmentSettings = z.output<typeof environmentSchema>;
export type AppSettings = EnvironmentSettings['apps'][AppName];
export type CanarySettings = NonNullable<NonNullable<AppSettings['strategy']>['canary']>;
export type BlueGreenSettings = NonNullable<NonNullable<AppSettings['strategy']>['blueGreen']>;

/** A loaded environment: its name (the file's basename), its file, and the validated settings. */
export interface Environment extends EnvironmentSettings {
  name: string;
  /** Path of the source file relative to the repository root (or as given), with `/` separators. */
  file: string;
}

/** The strategy an app runs in an environment, with catalogue defaults applied. */
export function resolvedStrategy(
  app: AppName,
  settings: AppSettings,
): { kind: 'canary'; canary: CanarySettings } | { kind: 'blueGreen'; blueGreen: BlueGreenSettings } {
  const s = settings.strategy;
  if (s?.canary)
    return {
      kind: 'canary',
      canary: { ...s.canary, steps: s.canary.steps ?? APPS[app].defaults.canarySteps },
    };
  if (s?.blueGreen) return { kind: 'blueGreen', blueGreen: s.blueGreen };
  const kind: StrategyKind = APPS[app].strategies[0]!;
  // The section schemas hold the field defaults; parse an empty block to get them.
  return kind === 'canary'
    ? { kind, canary: { ...canary.parse({}), steps: APPS[app].defaults.canarySteps } }
    : { kind, blueGreen: blueGreen.parse({}) };
}

/**
 * Replicas to render, or `undefined` when an autoscaler owns the count (never both,
 * docs/design/rendering.md §Replicas and autoscalers).
 */
export function resolvedReplicas(app: AppName, settings: AppSettings): number | undefined {
  if (settings.autoscaling) return undefined;
  return settings.replicas ?? APPS[app].defaults.replicas;
}
