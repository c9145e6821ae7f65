/**
 * Render pipeline: environments → cdk8s → validated YAML.
 *
 *  - render.repo: whole-repo render + validation as a process (`render --out <scratch>`, already
 *    current, so everything but the write), tsx and compiled JavaScript side by side
 *    (measure both, use the faster).
 *    Goal: under 2 s.
 *  - render.rehearsal-overhead.process: the rehearsal's cost as a user meets it, the render
 *    command as a process with and without --no-rehearsal (module loading and policy compilation
 *    included), interleaved, at least 7 rounds. Goal: the rehearsal adds at most 30 % to the
 *    render command (docs/rehearsal.md §Cost). `.command` is the same pair with the policy gate
 *    on, as a plain `npm run render` runs (no goal: the gate loads and compiles what the
 *    rehearsal then reuses, so it shows less of the rehearsal).
 *  - render.rehearsal-overhead: whole-repo render in process, alone and followed by the cluster
 *    rehearsal (`@payday/rehearsal`: scenarios, controller expansion, every check) of its output
 *    as the render command runs it (generators/src/render/rehearse-rendered.ts), interleaved.
 *    No goal: a diagnostic of the warm rehearsal's own CPU beside a warm render, which no
 *    command runs (docs/rehearsal.md §Cost says why the goal is on the process pair).
 *  - render.scale.*: synthetic repositories of 5 and 50 apps × 10 environments rendered through the
 *    real constructs, side by side with `kubectl kustomize` over an equivalent base/overlay tree
 *    (same objects per app; kustomize validates nothing, we validate every object). Goals: ours ≤ 0.5×
 *    kustomize at 10×; time per object flat within 20 % from 1× to 10×.
 * Validators are compiled once (a warm-up run) before anything is timed: the cache is part of the
 * design, the cold compile is reported separately.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cp, readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ObjectValidator, rehearseRendered, renderEnvironments } from '@payday/generators';
import {
  forgetLoadedValidators,
  syntheticFactories,
  writeKustomizeTree,
  writeSyntheticEnvironments,
} from '@payday/generators/bench';
import {
  absolute,
  type BenchContext,
  type BenchSuite,
  compare,
  interleave,
  type Measurement,
  stats,
  timeMs,
} from '../harness.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ESBUILD = join(ROOT, 'node_modules/.bin/esbuild');
const DIST = join(ROOT, 'generators/dist');
/**
 * The compiled run still registers tsx: the charts import `@payday/db`, whose package
 * exports TypeScript. Only those few files are transformed; the generators load as plain JS.
 */
const JS = ['--import', 'tsx'];

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Transpiles generators/src to generators/dist file by file (same depth, so paths resolve alike). */
async function compileGenerators(): Promise<void> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') && !e.name.includes('.test.'))
        files.push(p);
    }
  };
  await walk(join(ROOT, 'generators/src'));
  await rm(DIST, { recursive: true, force: true });
  await run(ESBUILD, [
    ...files,
    `--outdir=${DIST}`,
    '--format=esm',
    '--platform=node',
    '--target=node20',
    '--log-level=warning',
  ]);
  // The CRD imports are committed as JavaScript already.
  await cp(join(ROOT, 'generators/src/imports'), join(DIST, 'imports'), { recursive: true });
}

async function processMs(cmd: string, args: string[]): Promise<number> {
  return timeMs(() => run(cmd, args, { cwd: ROOT, maxBuffer: 512 * 1024 * 1024 }));
}

interface Scale {
  label: string;
  apps: number;
  envs: number;
  root: string;
  kustomizeDir: string;
  objects: number;
}

async function prepareScale(ctx: BenchContext, label: string, apps: number, envs: number): Promise<Scale> {
  const root = join(ctx.tmpDir, label);
  await writeSyntheticEnvironments(join(root, 'environments'), envs);
  ctx.progress(
    `${label}: rendering ${apps} apps × ${envs} environments once (warm-up, validators compiled if needed)`,
  );
  const result = await renderEnvironments({
    root,
    factories: syntheticFactories(apps),
    progress: ctx.progress,
  });
  const objects = result.environments.reduce((n, e) => n + e.objects.length, result.global.length);
  const kustomizeDir = await writeKustomizeTree(join(root, 'kustomize'), result, envs, apps);
  return { label, apps, envs, root, kustomizeDir, objects };
}

async function inProcessMs(s: Scale): Promise<number> {
  return timeMs(() => renderEnvironments({ root: s.root, factories: syntheticFactories(s.apps) }));
}

const suite: BenchSuite = {
  name: 'render',
  description:
    'environments → cdk8s → validated YAML; whole repo, and 5/50 apps × 10 envs vs kubectl kustomize',
  async run(ctx) {
    const out: Measurement[] = [];
    const rounds = ctx.rounds;

    // Cold compile of the validators, once, into a scratch cache (the repo cache stays warm).
    ctx.progress('whole repo: cold validator compile into a scratch cache');
    const repo = await renderEnvironments({ validate: false });
    const cold = await timeMs(() =>
      new ObjectValidator({ cacheDir: join(ctx.tmpDir, 'validators') }).validate(
        repo.environments,
        repo.global,
      ),
    );
    out.push(
      absolute(
        'render.validate.cold',
        'ms',
        stats([cold]),
        undefined,
        'first run on a machine: compile + write cache',
      ),
    );
    // A fresh load, as the next process would do it: the memo of loaded validators is cleared.
    const fresh = () => {
      forgetLoadedValidators();
      return timeMs(() =>
        new ObjectValidator({ cacheDir: join(ctx.tmpDir, 'validators') }).validate(
          repo.environments,
          repo.global,
        ),
      );
    };
    const standalone = await fresh(); // loads the standalone code, then writes V8's code cache
    out.push(
      absolute(
        'render.validate.standalone',
        'ms',
        stats([standalone]),
        undefined,
        'cached standalone code, no V8 code cache yet',
      ),
    );
    const warm: number[] = [];
    for (let i = 0; i < rounds; i++) warm.push(await fresh());
    out.push(
      absolute(
        'render.validate.warm',
        'ms',
        stats(warm),
        undefined,
        'standalone code + V8 code cache (every later run)',
      ),
    );

    // Whole repository as a process: tsx vs compiled JavaScript.
    ctx.progress('whole repo: compiling generators/src to generators/dist with esbuild');
    await compileGenerators();
    try {
      const cliTs = join(ROOT, 'generators/src/cli/render.ts');
      const cliJs = join(DIST, 'cli/render.js');
      // Into a scratch tree: the first run writes it (and warms tsx, validators, V8 code cache);
      // timed runs render + validate everything and compare with it (nothing left to write).
      // --no-gate: the policy gate has its own suite (bench/suites/gate.ts).
      const tsOut = ['--no-gate', '--out', join(ctx.tmpDir, 'repo-ts')];
      const jsOut = ['--no-gate', '--out', join(ctx.tmpDir, 'repo-js')];
      await processMs(TSX, [cliTs, ...tsOut]);
      await processMs('node', [...JS, cliJs, ...jsOut]);
      ctx.progress(`whole repo: ${rounds} interleaved rounds, tsx vs compiled JS`);
      const pair = await interleave(
        rounds,
        () => processMs('node', [...JS, cliJs, ...jsOut]),
        () => processMs(TSX, [cliTs, ...tsOut]),
      );
      out.push(
        compare(
          'render.repo.js-vs-tsx',
          'ms',
          pair,
          'tsx',
          undefined,
          `${repo.files.size} files; process wall time`,
        ),
      );
      const best = pair.ours.median <= pair.baseline.median ? pair.ours : pair.baseline;
      out.push(
        absolute(
          'render.repo',
          'ms',
          best,
          { op: '<=', value: 2000 },
          `faster of tsx/JS (${best === pair.ours ? 'JS' : 'tsx'})`,
        ),
      );
    } finally {
      await rm(DIST, { recursive: true, force: true });
    }

    // The rehearsal's cost as a user meets it: the render command as a process (as render.repo
    // runs it under tsx, into the scratch tree it wrote), with the rehearsal and with
    // --no-rehearsal, interleaved. Beside the in-process figure below, this one also counts what
    // the rehearsal loads (its modules, the policy engine, the CEL library) and compiles (the
    // scenario's policies) once per process.
    // At least 7 rounds: a ratio near 1.1–1.3× of two ~1.7 s processes moved by 0.2× between
    // runs of 5 rounds on a loaded machine (bench/README.md, "Render: the rehearsal bundle
    // without zod and yaml").
    const processRounds = ctx.quick ? rounds : Math.max(rounds, 7);
    const cli = join(ROOT, 'generators/src/cli/render.ts');
    const scratch = ['--no-gate', '--out', join(ctx.tmpDir, 'repo-ts')];
    ctx.progress(
      `whole repo: render command with and without the rehearsal, ${processRounds} interleaved rounds`,
    );
    const processPair = await interleave(
      processRounds,
      () => processMs(TSX, [cli, ...scratch]),
      () => processMs(TSX, [cli, ...scratch, '--no-rehearsal']),
    );
    out.push(
      compare(
        'render.rehearsal-overhead.process',
        'ms',
        processPair,
        'render --no-rehearsal',
        { op: '<=', value: 1.3 },
        'process wall time; render --no-gate ÷ render --no-gate --no-rehearsal',
      ),
    );

    // The same with the policy gate on, as a plain `npm run render` runs (no goal: the gate has
    // already loaded the policy engine and compiled the policies' CEL when the rehearsal starts,
    // so this pair shows less of the rehearsal than the --no-gate one above, which carries the goal).
    const withGate = ['--out', join(ctx.tmpDir, 'repo-ts')];
    ctx.progress(
      `whole repo: render command with the gate, with and without the rehearsal, ${processRounds} interleaved rounds`,
    );
    const commandPair = await interleave(
      processRounds,
      () => processMs(TSX, [cli, ...withGate]),
      () => processMs(TSX, [cli, ...withGate, '--no-rehearsal']),
    );
    out.push(
      compare(
        'render.rehearsal-overhead.command',
        'ms',
        commandPair,
        'render --no-rehearsal',
        undefined,
        'process wall time, gate on as in `npm run render`; render ÷ render --no-rehearsal',
      ),
    );

    // The rehearsal's cost beside the render it follows, in process (warm validators and CEL), as
    // the render command runs it: the same request and the same checks (with the catalogue's flow
    // matrix for the network check), through render/rehearse-rendered.ts.
    const renderAndRehearse = async () => {
      const r = await renderEnvironments({});
      const objects = [...r.environments.flatMap((e) => e.objects), ...r.global];
      if (!(await rehearseRendered({ objects })).passed)
        throw new Error('the committed tree fails the rehearsal');
    };
    await renderAndRehearse();
    ctx.progress(`whole repo: render vs render + rehearsal, ${rounds} interleaved rounds`);
    const rehearsal = await interleave(
      rounds,
      () => timeMs(renderAndRehearse),
      () => timeMs(() => renderEnvironments({})),
    );
    out.push(
      compare(
        'render.rehearsal-overhead',
        'ms',
        rehearsal,
        'render alone',
        undefined,
        "in process, no goal; render + rehearsal (4 scenarios, expansion, every check, the command's request) ÷ render",
      ),
    );

    // Scale: 1× and 10×.
    const envs = ctx.quick ? 2 : 10;
    const small = await prepareScale(ctx, 'scale-1x', ctx.quick ? 3 : 5, envs);
    const large = await prepareScale(ctx, 'scale-10x', ctx.quick ? 6 : 50, envs);
    const kubectl = hasKubectl();
    for (const s of [small, large]) {
      ctx.progress(`${s.label}: ${s.objects} objects, ${rounds} rounds in process`);
      const samples: number[] = [];
      for (let i = 0; i < rounds; i++) samples.push(await inProcessMs(s));
      const perObject = stats(samples.map((ms) => (ms * 1000) / s.objects));
      out.push(
        absolute(
          `render.${s.label}.per-object`,
          'µs/object',
          perObject,
          undefined,
          `${s.objects} objects, in process`,
        ),
      );
      if (!kubectl) continue;
      const runner = join(ROOT, 'generators/src/bench/render-scale.ts');
      ctx.progress(`${s.label}: ours (process) vs kubectl kustomize, ${rounds} interleaved rounds`);
      const pair = await interleave(
        rounds,
        () => processMs(TSX, [runner, '--root', s.root, '--apps', String(s.apps)]),
        () => processMs('kubectl', ['kustomize', s.kustomizeDir]),
      );
      out.push(
        compare(
          `render.${s.label}.vs-kustomize`,
          'ms',
          pair,
          'kubectl kustomize',
          s === large ? { op: '<=', value: 0.5 } : undefined,
          `${s.objects} objects; ours renders + validates every object, kustomize only builds`,
        ),
      );
    }
    if (!kubectl) ctx.progress('kubectl not found: kustomize comparison skipped');
    const flat =
      out.find((m) => m.metric === 'render.scale-10x.per-object')!.ours.median /
      out.find((m) => m.metric === 'render.scale-1x.per-object')!.ours.median;
    out.push(
      absolute(
        'render.per-object-10x-over-1x',
        'ratio',
        stats([flat]),
        { op: '<=', value: 1.2 },
        'time per object, 10× ÷ 1×',
      ),
    );
    return out;
  },
};

export default suite;
