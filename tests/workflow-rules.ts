/**
 * Our own rules for .github/workflows/*.yml, on top of actionlint (syntax, expressions, contexts):
 * the supply-chain and token-hygiene rules of GitHub's "Security hardening for GitHub Actions"
 * guide, made mechanical so a review does not have to catch them.
 *
 * - pinned-uses: third-party actions by full commit SHA, with the version in a comment (a tag can
 *   be moved to malicious code after review; a SHA cannot, and the comment keeps it readable).
 * - pinned-images: job and service container images by @sha256 digest, for the same reason.
 * - permissions: `permissions: {}` at the top and an explicit block per job (least privilege).
 * - pull-request-target: never check out PR code in a `pull_request_target` / `workflow_run`
 *   workflow (it runs with the base repository's write token and secrets: "pwn request").
 * - secrets-in-run / secrets-echoed: secrets reach scripts only through `env:`, and a script
 *   never prints a variable that holds one (log masking is best-effort, not a control).
 * - untrusted-input: no `${{ github.event.* }}`, `${{ inputs.* }}` or `${{ github.head_ref }}`
 *   inside `run:` (script injection); pass them through `env:`.
 * - concurrency and timeouts: every workflow has a concurrency group, every job a timeout.
 */
import { parse } from 'yaml';

export interface Violation {
  file: string;
  rule: string;
  message: string;
}

type Mapping = Record<string, unknown>;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Mapping;
  env?: Mapping;
}

export interface Job {
  id: string;
  uses?: string;
  container?: unknown;
  services?: unknown;
  permissions?: unknown;
  'timeout-minutes'?: unknown;
  env?: Mapping;
  strategy?: { matrix?: Mapping };
  steps: Step[];
}

export interface Workflow {
  file: string;
  text: string;
  on: Mapping;
  permissions?: unknown;
  concurrency?: unknown;
  env: Mapping;
  jobs: Job[];
}

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses a workflow file into the parts the rules read; `on` is normalised to a mapping. */
export function parseWorkflow(file: string, text: string): Workflow {
  const data: unknown = parse(text);
  if (!isMapping(data)) throw new Error(`${file}: a workflow is a YAML mapping`);
  const rawOn = data.on;
  const on: Mapping =
    typeof rawOn === 'string'
      ? { [rawOn]: null }
      : Array.isArray(rawOn)
        ? Object.fromEntries(rawOn.map((e) => [String(e), null]))
        : isMapping(rawOn)
          ? rawOn
          : {};
  const jobs = isMapping(data.jobs)
    ? Object.entries(data.jobs).map(([id, job]) => {
        const body = isMapping(job) ? job : {};
        return { ...body, id, steps: Array.isArray(body.steps) ? (body.steps as Step[]) : [] } as Job;
      })
    : [];
  return {
    file,
    text,
    on,
    permissions: data.permissions,
    concurrency: data.concurrency,
    env: isMapping(data.env) ? data.env : {},
    jobs,
  };
}

const SHA_PIN = /^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@[0-9a-f]{40}$/;
const DOCKER_DIGEST = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
const VERSION_COMMENT = /#\s*v?\d+(\.\d+)*\b/;
const SECRET_EXPRESSION = /\$\{\{\s*(secrets\.|github\.token\b)/;
const UNTRUSTED_EXPRESSION = /\$\{\{[^}]*\b(github\.event\.|inputs\.|github\.head_ref\b)/;
const PR_HEAD_REF = /github\.event\.(pull_request\.head|workflow_run\.head)|github\.head_ref|refs\/pull\//;
const PRIVILEGED_EVENTS = ['pull_request_target', 'workflow_run'];

/** Every rule over one workflow; an empty list means it passes. */
export function checkWorkflow(workflow: Workflow): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: string, message: string) => violations.push({ file: workflow.file, rule, message });
  const lines = workflow.text.split('\n');

  // pinned-uses
  const usesOf = workflow.jobs.flatMap((job) => [
    ...(job.uses ? [{ where: `job ${job.id}`, uses: job.uses }] : []),
    ...job.steps.flatMap((step, i) =>
      step.uses ? [{ where: `job ${job.id} step ${i + 1}`, uses: step.uses }] : [],
    ),
  ]);
  for (const { where, uses } of usesOf) {
    if (uses.startsWith('./')) continue;
    if (uses.startsWith('docker://')) {
      if (!DOCKER_DIGEST.test(uses)) add('pinned-uses', `${where}: ${uses} is not pinned by @sha256 digest`);
      continue;
    }
    if (!SHA_PIN.test(uses)) {
      add('pinned-uses', `${where}: ${uses} is not pinned by a full 40-character commit SHA`);
      continue;
    }
    const line = lines.find((l) => l.includes(uses));
    if (line === undefined || !VERSION_COMMENT.test(line)) {
      add('pinned-uses', `${where}: ${uses} needs the version it pins in a comment (# vX.Y.Z)`);
    }
  }

  // pinned-images: job containers and service containers run third-party code like actions do.
  for (const job of workflow.jobs) {
    const images = [
      ['container', job.container],
      ...Object.entries(isMapping(job.services) ? job.services : {}).map(([name, svc]) => [
        `service ${name}`,
        svc,
      ]),
    ] as const;
    for (const [what, spec] of images) {
      const image = typeof spec === 'string' ? spec : isMapping(spec) ? spec.image : undefined;
      if (typeof image === 'string' && !/@sha256:[0-9a-f]{64}$/.test(image)) {
        add('pinned-images', `job ${job.id} ${what}: ${image} is not pinned by @sha256 digest`);
      }
    }
  }

  // permissions
  if (workflow.permissions === undefined) add('permissions', 'top-level `permissions: {}` is missing');
  else if (!isMapping(workflow.permissions) || Object.keys(workflow.permissions).length > 0) {
    add('permissions', 'top-level permissions are `{}`; jobs ask for what they need');
  }
  for (const job of workflow.jobs) {
    if (job.permissions === undefined) add('permissions', `job ${job.id} declares no permissions`);
    else if (job.permissions === 'write-all' || job.permissions === 'read-all') {
      add('permissions', `job ${job.id} uses ${job.permissions}; list the scopes it needs`);
    }
  }

  // pull-request-target
  const privileged = PRIVILEGED_EVENTS.filter((e) => e in workflow.on);
  if (privileged.length > 0) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        const ref = step.with?.ref;
        const checksOutHead =
          step.uses?.startsWith('actions/checkout@') === true &&
          typeof ref === 'string' &&
          PR_HEAD_REF.test(ref);
        const fetchesHead =
          typeof step.run === 'string' && PR_HEAD_REF.test(step.run) && /\bgit\b/.test(step.run);
        if (checksOutHead || fetchesHead) {
          add(
            'pull-request-target',
            `job ${job.id}: checks out PR code in a ${privileged.join('/')} workflow (runs with write token and secrets)`,
          );
        }
      }
    }
  }

  // secrets-in-run, secrets-echoed, untrusted-input
  const secretNames = (env: Mapping | undefined) =>
    Object.entries(env ?? {})
      .filter(([, v]) => typeof v === 'string' && SECRET_EXPRESSION.test(v))
      .map(([k]) => k);
  for (const job of workflow.jobs) {
    job.steps.forEach((step, i) => {
      if (typeof step.run !== 'string') return;
      const where = `job ${job.id} step ${i + 1}${step.name ? ` (${step.name})` : ''}`;
      if (SECRET_EXPRESSION.test(step.run)) {
        add('secrets-in-run', `${where}: a secret is expanded into the script; pass it through env:`);
      }
      if (UNTRUSTED_EXPRESSION.test(step.run)) {
        add(
          'untrusted-input',
          `${where}: event data or inputs expanded into the script; pass them through env:`,
        );
      }
      const secrets = [...secretNames(workflow.env), ...secretNames(job.env), ...secretNames(step.env)];
      if (secrets.length === 0) return;
      if (/^\s*set\s+-[a-z]*x/m.test(step.run)) add('secrets-echoed', `${where}: set -x traces a secret`);
      for (const line of step.run.split('\n')) {
        if (!/\b(echo|printf|cat)\b/.test(line)) continue;
        const leaked = secrets.find((s) => new RegExp(`\\$\\{?${s}\\b`).test(line));
        if (leaked) add('secrets-echoed', `${where}: prints $${leaked}, which holds a secret`);
      }
    });
  }

  // concurrency and timeouts
  if (workflow.concurrency === undefined) add('concurrency', 'no concurrency group');
  for (const job of workflow.jobs) {
    if (job.uses === undefined && job['timeout-minutes'] === undefined) {
      add('timeouts', `job ${job.id} has no timeout-minutes`);
    }
  }
  return violations;
}

/** All `run:` scripts of a workflow. */
export function runScripts(workflow: Workflow): string[] {
  return workflow.jobs.flatMap((job) => job.steps.flatMap((s) => (typeof s.run === 'string' ? [s.run] : [])));
}

/** npm scripts a workflow calls: `npm run [flags] NAME`, `npm test`, `npm start`. */
export function npmScriptsCalled(workflow: Workflow): string[] {
  const names = new Set<string>();
  for (const script of runScripts(workflow)) {
    for (const m of script.matchAll(/\bnpm (?:run|run-script)((?:\s+--?[\w-]+)*)\s+([\w:.-]+)/g))
      names.add(m[2]!);
    for (const m of script.matchAll(/\bnpm (test|start)\b/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** Executables a workflow runs through `npx NAME`. */
export function npxToolsCalled(workflow: Workflow): string[] {
  const names = new Set<string>();
  for (const script of runScripts(workflow)) {
    for (const m of script.matchAll(/\bnpx (?:--no-install\s+)?([@\w./-]+)/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

/** Path filters of the workflow's triggers (`paths` and `paths-ignore`, negations stripped). */
export function watchedPaths(workflow: Workflow): string[] {
  const paths: string[] = [];
  for (const trigger of Object.values(workflow.on)) {
    if (!isMapping(trigger)) continue;
    for (const key of ['paths', 'paths-ignore']) {
      const list = trigger[key];
      if (Array.isArray(list)) paths.push(...list.map((p) => String(p).replace(/^!/, '')));
    }
  }
  return paths;
}

const REPO_PATH =
  /(?:^|[\s"'=])((?:\.github|apps|scripts|policies|generators|environments|gitops|tests|docs)\/[\w./*{}-]*)/g;

/**
 * Repository paths a workflow reads: files named in `run:` scripts and in `with:` inputs that take
 * a file (`file`, `node-version-file`), with `${{ matrix.X }}` expanded over the job's matrix.
 * Paths built from shell variables are skipped (they are checked where they are built).
 */
export function referencedPaths(workflow: Workflow): string[] {
  const paths = new Set<string>();
  for (const job of workflow.jobs) {
    const matrix = job.strategy?.matrix ?? {};
    const expand = (value: string): string[] => {
      const m = /\$\{\{\s*matrix\.(\w+)\s*\}\}/.exec(value);
      if (m === null) return [value];
      const values = matrix[m[1]!];
      return Array.isArray(values) ? values.flatMap((v) => expand(value.replace(m[0], String(v)))) : [];
    };
    for (const step of job.steps) {
      for (const key of ['file', 'node-version-file']) {
        const value = step.with?.[key];
        if (typeof value === 'string') for (const p of expand(value)) paths.add(p);
      }
      if (typeof step.run !== 'string') continue;
      for (const line of step.run.split('\n')) {
        if (line.includes('$')) continue;
        for (const m of line.matchAll(REPO_PATH)) paths.add(m[1]!.replace(/[.,;:]$/, ''));
      }
    }
  }
  return [...paths].sort();
}

/**
 * Flags a workflow passes to each npm script: those on the `npm run NAME -- …` line and, for a
 * script called with `"${args[@]}"`, those the step adds to the `args` array.
 */
export function npmScriptFlags(workflow: Workflow): { script: string; flag: string }[] {
  const found = new Map<string, { script: string; flag: string }>();
  const flagsIn = (text: string) => [...text.matchAll(/(?:^|[\s(])(--[a-z][\w-]*)/g)].map((m) => m[1]!);
  for (const script of runScripts(workflow)) {
    const arrayFlags = script
      .split('\n')
      .filter((line) => /\bargs\+?=\(/.test(line))
      .flatMap(flagsIn);
    for (const m of script.matchAll(/\bnpm run(?:\s+--?[\w-]+)*\s+([\w:.-]+)\s+--\s+([^\n]*)/g)) {
      const flags = [...flagsIn(m[2]!), ...(m[2]!.includes(`"\${args[@]}"`) ? arrayFlags : [])];
      for (const flag of flags) found.set(`${m[1]} ${flag}`, { script: m[1]!, flag });
    }
  }
  return [...found.values()].sort((a, b) => `${a.script} ${a.flag}`.localeCompare(`${b.script} ${b.flag}`));
}
