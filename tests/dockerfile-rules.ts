/**
 * The rules every app Dockerfile follows (docs/delivery.md §Container images), checked
 * without a Docker engine: the file is parsed with dockerfile-ast (the parser behind the VS Code
 * Dockerfile language server) and each rule looks at the instructions of the stage it concerns.
 *
 * A rule returns violations rather than throwing, so one run lists everything that is wrong and the
 * tests can prove each rule fires on a bad file.
 */
import { type Copy, DockerfileParser, type From, type Instruction } from 'dockerfile-ast';

export interface Violation {
  /** 1-based line of the offending instruction (0 when the file as a whole is at fault). */
  line: number;
  rule: string;
  message: string;
}

export interface ImageSpec {
  /** App name: `apps/<app>/src/main.ts` is bundled, `@payday/<app>` is the runtime workspace. */
  app: string;
  /** The port the app listens on (team brief: api 3000, frontend 3001, worker 3002). */
  port: number;
}

interface Stage {
  from: From;
  name: string | null;
  instructions: Instruction[];
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;
const OCI_LABELS = ['source', 'revision', 'version'] as const;

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function splitStages(text: string): Stage[] {
  const dockerfile = DockerfileParser.parse(text);
  const stages: Stage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') {
      const from = instruction as From;
      stages.push({ from, name: from.getBuildStage(), instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The instruction's arguments as one string with line continuations folded. */
function argumentsOf(instruction: Instruction): string {
  return instruction
    .getArguments()
    .map((a) => a.getValue())
    .join(' ');
}

/** Flag names of an instruction (`COPY --from=build --chown=1` → from, chown). */
function flagsOf(instruction: Instruction): string[] {
  const flags = 'getFlags' in instruction ? (instruction as Copy).getFlags() : [];
  return flags.map((f) => f.getName());
}

function withKeyword(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.getKeyword() === keyword);
}

/** Every rule for one Dockerfile; an empty list means the file passes. */
export function checkDockerfile(text: string, spec: ImageSpec): Violation[] {
  const violations: Violation[] = [];
  const add = (line: number, rule: string, message: string) => violations.push({ line, rule, message });
  const stages = splitStages(text);
  if (stages.length < 2) {
    add(0, 'multi-stage', `expected a build stage and a runtime stage, found ${stages.length} stage(s)`);
    return violations;
  }
  const build = stages.slice(0, -1);
  const runtime = stages.at(-1)!;
  const stageNames = new Set<string>();

  for (const stage of stages) {
    const line = lineOf(stage.from);
    const image = stage.from.getImageName() ?? '';
    if (stage.name === null) add(line, 'multi-stage', 'every stage is named (`FROM … AS name`)');
    if (stageNames.has(image)) {
      // FROM an earlier stage: inherits that stage's pinned base.
    } else {
      const digest = stage.from.getImageDigest();
      if (digest === null || !DIGEST.test(digest)) {
        add(line, 'pinned-base', `base image "${stage.from.getImage()}" is not pinned by @sha256 digest`);
      }
      if (stage.from.getImageTag() === 'latest') add(line, 'pinned-base', 'the `latest` tag is never used');
      if (image !== 'node' && image !== 'docker.io/library/node') {
        add(line, 'pinned-base', `base image is the official node image, found "${image}"`);
      }
    }
    if (stage.name !== null) stageNames.add(stage.name);
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ADD')
        add(lineOf(instruction), 'no-add', 'use COPY: ADD fetches URLs and unpacks archives');
      if (keyword === 'VOLUME') {
        add(lineOf(instruction), 'read-only-root', 'no VOLUME: writable paths are mounted by Kubernetes');
      }
      if (keyword === 'RUN' && /\bnpm (install|i)\b/.test(argumentsOf(instruction))) {
        add(lineOf(instruction), 'npm-ci', '`npm install` may rewrite the lockfile; use `npm ci`');
      }
    }
  }

  const buildRuns = build.flatMap((s) => withKeyword(s, 'RUN'));
  const buildCi = buildRuns.find((r) => /\bnpm ci\b/.test(argumentsOf(r)));
  if (buildCi === undefined) add(0, 'npm-ci', 'the build stage installs dependencies with `npm ci`');
  else {
    if (/--omit[= ]dev/.test(argumentsOf(buildCi))) {
      add(lineOf(buildCi), 'npm-ci', 'the build stage needs dev dependencies (esbuild): no --omit=dev');
    }
    if (!argumentsOf(buildCi).includes('--ignore-scripts')) {
      add(lineOf(buildCi), 'npm-ci', 'no dependency runs install scripts in the build: --ignore-scripts');
    }
  }
  const entry = `apps/${spec.app}/src/main.ts`;
  const bundled = `apps/${spec.app}/dist/main.mjs`;
  const bundle = buildRuns.find((r) => argumentsOf(r).includes('esbuild'));
  if (bundle === undefined) add(0, 'bundle', 'the build stage bundles the app with esbuild');
  else if (!new RegExp(`\\b${escapeRegExp(entry)} ${escapeRegExp(bundled)}\\b`).test(argumentsOf(bundle))) {
    add(lineOf(bundle), 'bundle', `the build stage bundles ${entry} into ${bundled}`);
  }

  const runtimeRuns = withKeyword(runtime, 'RUN');
  const ci = runtimeRuns.find((r) => /\bnpm ci\b/.test(argumentsOf(r)));
  if (ci === undefined || !/--omit[= ]dev\b/.test(argumentsOf(ci))) {
    add(ci ? lineOf(ci) : 0, 'runtime-deps', 'the runtime stage installs with `npm ci --omit=dev`');
  } else {
    const args = argumentsOf(ci);
    if (!args.includes(`--workspace=@payday/${spec.app}`)) {
      add(lineOf(ci), 'runtime-deps', `the runtime install is scoped: --workspace=@payday/${spec.app}`);
    }
    if (!args.includes('--ignore-scripts')) {
      add(lineOf(ci), 'runtime-deps', 'no install scripts run in the runtime image: --ignore-scripts');
    }
  }

  const copies = withKeyword(runtime, 'COPY');
  if (!copies.some((c) => flagsOf(c).includes('from'))) {
    add(0, 'multi-stage', 'the runtime stage copies the bundle from the build stage (COPY --from=…)');
  }
  for (const copy of copies) {
    if (flagsOf(copy).some((f) => f === 'chown' || f === 'chmod')) {
      add(lineOf(copy), 'read-only-root', 'runtime files stay owned by root: no --chown/--chmod');
    }
  }

  const users = withKeyword(runtime, 'USER');
  const user = users.at(-1);
  const match = user ? /^(\d+)(?::(\d+))?$/.exec(argumentsOf(user)) : null;
  if (user === undefined) add(0, 'non-root', 'the runtime stage sets USER');
  else if (match === null) add(lineOf(user), 'non-root', 'USER is numeric uid:gid (runAsNonRoot checks it)');
  else if (Number(match[1]) === 0 || Number(match[2] ?? 1) === 0) {
    add(lineOf(user), 'non-root', 'USER is not root (uid and gid must be non-zero)');
  }
  if (user !== undefined) {
    for (const run of runtimeRuns) {
      if (lineOf(run) > lineOf(user))
        add(lineOf(run), 'non-root', 'no RUN after USER: the image is built as root');
    }
  }

  const cmd = withKeyword(runtime, 'CMD').at(-1);
  const cmdArgs = cmd ? jsonArgs(cmd) : null;
  if (cmd === undefined) add(0, 'exec-form', 'the runtime stage sets CMD');
  else if (cmdArgs === null)
    add(lineOf(cmd), 'exec-form', 'CMD is exec form (JSON array): no shell as PID 1');
  else {
    if (cmdArgs[0] !== 'node') add(lineOf(cmd), 'exec-form', 'CMD starts node directly');
    if (cmdArgs.at(-1) !== bundled) add(lineOf(cmd), 'exec-form', `CMD runs the bundle ${bundled}`);
  }
  const entrypoint = withKeyword(runtime, 'ENTRYPOINT').at(-1);
  if (entrypoint === undefined || (jsonArgs(entrypoint)?.length ?? -1) !== 0) {
    add(
      entrypoint ? lineOf(entrypoint) : 0,
      'exec-form',
      'ENTRYPOINT [] clears the base image docker-entrypoint.sh so node is PID 1',
    );
  }

  const args = new Set(withKeyword(runtime, 'ARG').map((a) => argumentsOf(a).split('=')[0]));
  const labels = withKeyword(runtime, 'LABEL').map(argumentsOf).join(' ');
  for (const label of OCI_LABELS) {
    const found = new RegExp(`org\\.opencontainers\\.image\\.${label}="?\\$\\{?([A-Z_]+)\\}?"?`).exec(labels);
    if (found === null)
      add(0, 'oci-labels', `LABEL org.opencontainers.image.${label} is set from a build arg`);
    else if (!args.has(found[1]!)) add(0, 'oci-labels', `ARG ${found[1]} is declared in the runtime stage`);
  }
  if (!withKeyword(runtime, 'ENV').some((e) => /APP_VERSION=\$\{?VERSION\}?/.test(argumentsOf(e)))) {
    add(0, 'oci-labels', 'ENV APP_VERSION from ARG VERSION: metrics carry the image version');
  }

  const exposed = withKeyword(runtime, 'EXPOSE').map(argumentsOf).join(' ').split(/\s+/);
  if (!exposed.includes(String(spec.port))) add(0, 'port', `EXPOSE ${spec.port} (the ${spec.app} port)`);
  return violations;
}

/** The JSON array of an exec-form instruction, or null for shell form. */
function jsonArgs(instruction: Instruction): string[] | null {
  const raw = (instruction.getRawArgumentsContent() ?? '').trim();
  if (!raw.startsWith('[')) return null;
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) && parsed.every((p) => typeof p === 'string') ? parsed : null;
  } catch {
    return null;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Source paths of every COPY that reads the build context (not `--from` another stage). */
export function contextSources(text: string): { line: number; source: string }[] {
  const sources: { line: number; source: string }[] = [];
  for (const stage of splitStages(text)) {
    for (const copy of withKeyword(stage, 'COPY')) {
      if (flagsOf(copy).includes('from')) continue;
      const paths = copy.getArguments().map((a) => a.getValue());
      for (const source of paths.slice(0, -1)) sources.push({ line: lineOf(copy), source });
    }
  }
  return sources;
}

/** The esbuild entrypoints the build stage bundles (`bundle <entry> <outfile>` calls). */
export function bundledEntrypoints(text: string): string[] {
  return [...text.matchAll(/\bbundle (\S+\.ts) \S+\.mjs/g)].map((m) => m[1]!);
}

/** The workspaces (`--workspace=NAME`) whose production dependencies the runtime stage installs. */
export function runtimeWorkspaces(text: string): string[] {
  const stages = splitStages(text);
  const runtime = stages.at(-1);
  const ci = runtime ? withKeyword(runtime, 'RUN').find((r) => /\bnpm ci\b/.test(argumentsOf(r))) : undefined;
  return ci ? [...argumentsOf(ci).matchAll(/--workspace[= ](\S+)/g)].map((m) => m[1]!) : [];
}

/**
 * What the runtime stage puts into the image, relative to WORKDIR: for each COPY from the context,
 * a copied directory or file at its destination; for COPY --from the build stage, the bundles the
 * build wrote (`bundle <entry> <outfile>`), with their source maps.
 */
export function runtimeProvides(text: string): string[] {
  const runtime = splitStages(text).at(-1);
  if (runtime === undefined) return [];
  const provided: string[] = [];
  for (const copy of withKeyword(runtime, 'COPY')) {
    const args = copy.getArguments().map((a) => a.getValue());
    const dest = args.at(-1)!.replace(/^\.\/?/, '');
    if (flagsOf(copy).includes('from')) {
      for (const m of text.matchAll(/\bbundle \S+\.ts (\S+\.mjs)/g)) provided.push(m[1]!, `${m[1]}.map`);
      continue;
    }
    for (const source of args.slice(0, -1)) {
      const name = source.replace(/\/$/, '').split('/').at(-1)!;
      const directory = source.endsWith('/');
      provided.push(
        (dest.endsWith('/') || dest === '') && !directory ? `${dest}${name}` : dest.replace(/\/$/, ''),
      );
    }
  }
  return provided;
}

/**
 * Paths a bundle reads relative to its own file (`new URL('../x', import.meta.url)`, also as a
 * template literal up to its first placeholder), resolved from where the bundle lives.
 */
export function selfRelativeReads(bundle: string, bundlePath: string): string[] {
  const dir = bundlePath.split('/').slice(0, -1);
  const reads = new Set<string>();
  for (const m of bundle.matchAll(/new URL\(\s*(["'`])(\.\.?\/[^"'`$]*)/g)) {
    const parts = [...dir];
    for (const segment of m[2]!.split('/')) {
      if (segment === '..') parts.pop();
      else if (segment !== '.' && segment !== '') parts.push(segment);
    }
    // The WORKDIR itself (e.g. @payday/db's REPO_ROOT for the local data directory) is a place, not
    // content the image has to carry.
    if (parts.length > 0) reads.add(parts.join('/'));
  }
  return [...reads].sort();
}
