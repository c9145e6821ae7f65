/**
 * Values that are valid but probably wrong. They render (an environment may really want them),
 * but `npm run render` prints each as `file:line:col: warning: path: message [id]` so a typo or
 * an unintended default does not reach a cluster unnoticed. A field silences its warning with a
 * `# payday:allow <id>` comment on its line or on the line above (environments/README.md,
 * "Warnings"), so the decision is written next to the value and reviewed with it.
 */
import type { Document, LineCounter } from 'yaml';
import { APP_NAMES, APPS } from '../catalogue/apps.js';
import type { EnvironmentSettings } from './base-schema.js';
import { parseDuration } from './duration.js';
import { dottedPath, type EnvironmentIssue } from './errors.js';
import { locate } from './positions.js';
import { bytes, millicores } from './quantity.js';

/** Every warning, with the one-line reason shown in environments/README.md. */
export const WARNINGS = {
  'replicas-zero': 'an enabled app with `replicas: 0` runs no pods and gets no PodDisruptionBudget',
  'single-replica':
    'one replica in an environment that promotes from another: no PodDisruptionBudget, a drain takes the app down',
  'replicas-high':
    'more than 50 replicas (fixed or autoscaling maximum): usually a typo, and it reserves that many pods of requests',
  'min-replicas-zero':
    'an app that serves traffic autoscales down to zero: no PodDisruptionBudget, the next request waits',
  'no-soak': 'an environment that promotes from another with `promotion.soak` 0: releases arrive unsoaked',
  'prestop-exceeds-grace':
    '`shutdown.preStopSleepSeconds` not below `terminationGracePeriodSeconds`: the pod is killed before it drains',
  'unknown-allow': 'a `# payday:allow` comment names no known warning (it would silence nothing)',
} as const;

export type WarningId = keyof typeof WARNINGS;

/** Above this many replicas an environment value is much more likely a typo than a plan. */
export const REPLICAS_HIGH = 50;

export interface EnvironmentWarning extends EnvironmentIssue {
  id: WarningId;
}

export function formatWarning(w: EnvironmentWarning): string {
  return `${w.file}:${w.line}:${w.col}: warning: ${w.path ? `${w.path}: ` : ''}${w.message} [${w.id}]`;
}

interface Finding {
  id: WarningId;
  path: (string | number)[];
  message: string;
}

function totalRequests(replicas: number, requests: { cpu: string; memory: string }): string {
  try {
    const cpu = (replicas * millicores(requests.cpu)) / 1000;
    const mem = (replicas * bytes(requests.memory)) / 2 ** 30;
    return ` (${cpu.toFixed(1)} CPU and ${mem.toFixed(1)} GiB of requests at ${requests.cpu}/${requests.memory} each)`;
  } catch {
    return ''; // a quantity form the cost arithmetic does not read (e.g. 1e3): the warning stands without it
  }
}

/** The warnings of one validated environment, as paths into its file. */
export function settingsFindings(env: EnvironmentSettings): Finding[] {
  const out: Finding[] = [];
  const downstream = env.promotesFrom !== undefined;
  for (const app of APP_NAMES) {
    const s = env.apps[app];
    if (!s.enabled) continue;
    const at = (...rest: string[]) => ['apps', app, ...rest];
    if (s.replicas === 0) {
      out.push({
        id: 'replicas-zero',
        path: at('replicas'),
        message: `${app} runs no pods and gets no PodDisruptionBudget; to leave it out, set apps.${app}.enabled: false`,
      });
    }
    if (downstream && (s.replicas === 1 || s.autoscaling?.maxReplicas === 1)) {
      out.push({
        id: 'single-replica',
        path: s.replicas === 1 ? at('replicas') : at('autoscaling', 'maxReplicas'),
        message: `one ${app} replica in an environment promoted from ${env.promotesFrom}: no PodDisruptionBudget, and a node drain takes ${app} down`,
      });
    }
    const high = s.replicas !== undefined ? s.replicas : s.autoscaling?.maxReplicas;
    if (high !== undefined && high > REPLICAS_HIGH) {
      out.push({
        id: 'replicas-high',
        path: s.replicas !== undefined ? at('replicas') : at('autoscaling', 'maxReplicas'),
        message: `${high} ${app} replicas${totalRequests(high, s.resources.requests)}; more than ${REPLICAS_HIGH} is probably a typo`,
      });
    }
    if (APPS[app].serves && s.autoscaling?.minReplicas === 0) {
      out.push({
        id: 'min-replicas-zero',
        path: at('autoscaling', 'minReplicas'),
        message: `${app} serves traffic but may scale to zero: no PodDisruptionBudget, and the first request after idling waits for a pod`,
      });
    }
    const { preStopSleepSeconds: preStop, terminationGracePeriodSeconds: grace } = s.shutdown;
    if (preStop > 0 && preStop >= grace) {
      out.push({
        id: 'prestop-exceeds-grace',
        path: at('shutdown', 'preStopSleepSeconds'),
        message: `the ${preStop} s preStop sleep uses the whole ${grace} s grace period: ${app} is killed before it gets SIGTERM to drain`,
      });
    }
  }
  if (downstream && parseDuration(env.promotion.soak) === 0) {
    out.push({
      id: 'no-soak',
      path: ['promotion', 'soak'],
      message: `releases may be promoted here the moment they reach ${env.promotesFrom}; set a soak such as 1h`,
    });
  }
  return out;
}

/** `# payday:allow a, b`, possibly after a reason in the same comment (`# demo only; payday:allow a`). */
const ALLOW = /(?:^|\s)#.*?\bpayday:allow\s+([\w-]+(?:\s*,\s*[\w-]+)*)/;

/** The warning ids a `# payday:allow a, b` comment on this line names (empty when none). */
function allowedOn(line: string | undefined): string[] {
  const m = line === undefined ? null : ALLOW.exec(line);
  return m ? m[1]!.split(/\s*,\s*/) : [];
}

/**
 * Positions each finding in the file and drops the ones a `# payday:allow <id>` comment silences
 * (on the finding's line, or alone on the line above). A field that is not written (a default)
 * is reported at its nearest written parent, or `promotesFrom` for `no-soak`.
 */
export function environmentWarnings(
  env: EnvironmentSettings,
  doc: Document,
  lc: LineCounter,
  text: string,
  file: string,
): EnvironmentWarning[] {
  const lines = text.split('\n');
  const out: EnvironmentWarning[] = [];
  for (const f of settingsFindings(env)) {
    const written = doc.getIn(f.path, true) !== undefined;
    const anchor = written || f.id !== 'no-soak' ? f.path : ['promotesFrom'];
    const pos = locate(doc, lc, anchor);
    const above = lines[pos.line - 2];
    const allowed = [
      ...allowedOn(lines[pos.line - 1]),
      ...(above?.trimStart().startsWith('#') ? allowedOn(above) : []),
    ];
    if (allowed.includes(f.id)) continue;
    out.push({ id: f.id, file, ...pos, path: dottedPath(f.path), message: f.message });
  }
  lines.forEach((line, i) => {
    for (const id of allowedOn(line)) {
      if (id in WARNINGS) continue;
      out.push({
        id: 'unknown-allow',
        file,
        line: i + 1,
        col: line.indexOf(id) + 1,
        path: '',
        message: `payday:allow names no known warning "${id}" (known: ${Object.keys(WARNINGS)
          .filter((k) => k !== 'unknown-allow')
          .join(', ')})`,
      });
    }
  });
  return out.sort((a, b) => a.line - b.line || a.col - b.col);
}
