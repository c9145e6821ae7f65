import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { build } from 'esbuild';
import { globSync } from 'tinyglobby';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  bundledEntrypoints,
  checkDockerfile,
  contextSources,
  type ImageSpec,
  runtimeProvides,
  runtimeWorkspaces,
  selfRelativeReads,
} from './dockerfile-rules.js';

const root = join(import.meta.dirname, '..');
/** The apps and ports of the team brief's contract (API 3000, frontend 3001, worker 3002). */
const IMAGES: ImageSpec[] = [
  { app: 'api', port: 3000 },
  { app: 'frontend', port: 3001 },
  { app: 'worker', port: 3002 },
];
const read = (path: string) => readFileSync(join(root, path), 'utf8');
// The package is CommonJS (`module.exports = factory`) but its types declare `export default`:
// under NodeNext the default import is the factory itself at run time.
const ignore = dockerignoreModule as unknown as typeof dockerignoreModule.default;
const dockerignore = ignore({ ignorecase: false }).add(read('.dockerignore'));

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}
const workspaces: Manifest[] = JSON.parse(read('package.json')).workspaces.map((w: string) =>
  JSON.parse(read(`${w}/package.json`)),
);
const own = new Set(workspaces.map((w) => w.name));
/** Same list as the Dockerfiles compute: every third-party production dependency of any workspace. */
const externals = [...new Set(workspaces.flatMap((w) => Object.keys(w.dependencies ?? {})))].filter(
  (d) => !own.has(d),
);

/** Production dependencies that `npm ci --omit=dev --workspace=…` installs for these workspaces. */
function installedFor(names: string[]): Set<string> {
  const installed = new Set<string>();
  const visit = (name: string) => {
    const manifest = workspaces.find((w) => w.name === name);
    for (const dep of Object.keys(manifest?.dependencies ?? {})) {
      if (own.has(dep)) visit(dep);
      else installed.add(dep);
    }
  };
  names.forEach(visit);
  return installed;
}

/** Bundles like the Dockerfile does, in memory, as if written to `outPath`. */
function bundle(entry: string, outPath: string) {
  return build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outPath),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
    external: externals,
  });
}

const packageName = (path: string) =>
  (path.startsWith('@') ? path.split('/').slice(0, 2) : path.split('/', 1)).join('/');

describe.each(IMAGES)('apps/$app/Dockerfile', (spec) => {
  const text = read(`apps/${spec.app}/Dockerfile`);

  it('follows every image rule', () => {
    expect(checkDockerfile(text, spec)).toEqual([]);
  });

  it('copies only paths that exist and that .dockerignore lets through', () => {
    const problems = contextSources(text).flatMap(({ line, source }) => {
      const path = source.replace(/\/$/, '');
      if (path === '.' || path === './') return [];
      if (!existsSync(join(root, path))) return [`line ${line}: ${source} does not exist`];
      if (dockerignore.ignores(path)) return [`line ${line}: ${source} is excluded by .dockerignore`];
      return [];
    });
    expect(problems).toEqual([]);
  });

  it('bundles entrypoints that exist and are in the build context', () => {
    const entries = bundledEntrypoints(text);
    expect(entries).toContain(`apps/${spec.app}/src/main.ts`);
    for (const entry of entries) {
      expect(existsSync(join(root, entry)), `${entry} exists`).toBe(true);
      expect(dockerignore.ignores(entry), `${entry} is in the context`).toBe(false);
    }
  });

  describe('the bundle of src/main.ts', () => {
    const bundlePath = `apps/${spec.app}/dist/main.mjs`;
    let bundled: Awaited<ReturnType<typeof bundle>>;
    beforeAll(async () => {
      bundled = await bundle(`apps/${spec.app}/src/main.ts`, bundlePath);
    });

    it('finds every package it leaves external installed by the runtime stage', () => {
      const imported = new Set(
        Object.values(bundled.metafile.inputs)
          .flatMap((input) => input.imports)
          .filter((i) => i.external && !i.path.startsWith('node:'))
          .map((i) => packageName(i.path)),
      );
      const installed = installedFor(runtimeWorkspaces(text));
      expect([...imported].filter((p) => !installed.has(p)).sort()).toEqual([]);
    });

    it('finds every file it reads relative to itself copied into the image', () => {
      const reads = selfRelativeReads(bundled.outputFiles[0]!.text, bundlePath);
      const provided = runtimeProvides(text);
      const missing = reads.filter((read) => !provided.some((p) => read === p || read.startsWith(`${p}/`)));
      expect(missing).toEqual([]);
    });
  });

  it('copies the manifest of every workspace, which `npm ci` needs to check the lockfile', () => {
    const workspaces: string[] = JSON.parse(read('package.json')).workspaces;
    const copied = contextSources(text).map((s) => s.source);
    for (const workspace of workspaces) {
      // Twice: once in the build stage, once in the runtime stage.
      expect(copied.filter((s) => s === `${workspace}/package.json`)).toHaveLength(2);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps local state, secrets and history out of the build context', () => {
    for (const path of [
      'node_modules/x',
      'apps/api/node_modules/x',
      '.git/HEAD',
      '.env',
      '.data/postgres/PG_VERSION',
    ]) {
      expect(dockerignore.ignores(path), path).toBe(true);
    }
  });
  it('keeps test files out of images', () => {
    expect(dockerignore.ignores('apps/api/src/payments/create.test.ts')).toBe(true);
  });
});

/** A Dockerfile that passes every rule for `spec`; the cases below break one thing each. */
const GOOD = `
FROM node:20-bookworm-slim@sha256:${'a'.repeat(64)} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY apps/ apps/
RUN bundle() { npx esbuild "$1" --outfile="/out/$2"; }; \\
    bundle apps/api/src/main.ts apps/api/dist/main.mjs

FROM node:20-bookworm-slim@sha256:${'a'.repeat(64)} AS runtime
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG SOURCE=unknown
LABEL org.opencontainers.image.source="\${SOURCE}" \\
      org.opencontainers.image.revision="\${REVISION}" \\
      org.opencontainers.image.version="\${VERSION}"
ENV NODE_ENV=production APP_VERSION=\${VERSION}
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --workspace=@payday/api --ignore-scripts
COPY --from=build /out/ ./
USER 10001:10001
EXPOSE 3000
ENTRYPOINT []
CMD ["node", "apps/api/dist/main.mjs"]
`;
const API: ImageSpec = { app: 'api', port: 3000 };
const rulesBroken = (text: string) => checkDockerfile(text, API).map((v) => v.rule);

describe('selfRelativeReads', () => {
  it('resolves string and template-literal URLs from the bundle location', () => {
    const code = [
      'const a = new URL("../../drizzle", import.meta.url);',
      `const b = new URL(\`../assets/\${name}\`, import.meta.url);`,
      "const c = new URL('./schema.json', import.meta.url);",
      'const d = new URL("../../../", import.meta.url);',
      'const e = new URL("https://example.invalid/x");',
    ].join('\n');
    expect(selfRelativeReads(code, 'apps/web/dist/main.mjs')).toEqual([
      'apps/drizzle',
      'apps/web/assets',
      'apps/web/dist/schema.json',
    ]);
  });
});

describe('runtimeProvides', () => {
  it('lists copied files, copied directories and the bundles copied from the build stage', () => {
    expect(runtimeProvides(GOOD)).toEqual([
      'package.json',
      'package-lock.json',
      'apps/api/dist/main.mjs',
      'apps/api/dist/main.mjs.map',
    ]);
    const withAssets = GOOD.replace(
      'USER 10001:10001',
      'COPY apps/web/src/assets/ apps/web/assets/\nUSER 10001:10001',
    );
    expect(runtimeProvides(withAssets)).toContain('apps/web/assets');
  });
});

describe('checkDockerfile', () => {
  it('accepts the reference file', () => {
    expect(checkDockerfile(GOOD, API)).toEqual([]);
  });

  it.each([
    ['a single stage', GOOD.slice(GOOD.indexOf('FROM', 10)), 'multi-stage'],
    [
      'a tag without digest',
      GOOD.replace(`@sha256:${'a'.repeat(64)} AS runtime`, ' AS runtime'),
      'pinned-base',
    ],
    [
      'a short digest',
      GOOD.replace(`@sha256:${'a'.repeat(64)} AS build`, '@sha256:abc AS build'),
      'pinned-base',
    ],
    ['the latest tag', GOOD.replace('node:20-bookworm-slim@', 'node:latest@'), 'pinned-base'],
    ['a foreign base image', GOOD.replace('node:20-bookworm-slim@', 'someone/node:20@'), 'pinned-base'],
    ['npm install', GOOD.replace('RUN npm ci --ignore-scripts\n', 'RUN npm install\n'), 'npm-ci'],
    ['install scripts in the build', GOOD.replace('RUN npm ci --ignore-scripts\n', 'RUN npm ci\n'), 'npm-ci'],
    ['dev dependencies at run time', GOOD.replace('--omit=dev ', ''), 'runtime-deps'],
    ['an unscoped runtime install', GOOD.replace(' --workspace=@payday/api', ''), 'runtime-deps'],
    [
      'install scripts at run time',
      GOOD.replace('@payday/api --ignore-scripts', '@payday/api'),
      'runtime-deps',
    ],
    ['no esbuild bundle', GOOD.replace('npx esbuild', 'npx tsc'), 'bundle'],
    ['the wrong entrypoint', GOOD.replace('apps/api/src/main.ts', 'apps/api/src/index.ts'), 'bundle'],
    ['no USER', GOOD.replace('USER 10001:10001\n', ''), 'non-root'],
    ['a named USER', GOOD.replace('USER 10001:10001', 'USER node'), 'non-root'],
    ['root by number', GOOD.replace('USER 10001:10001', 'USER 0:0'), 'non-root'],
    ['root group', GOOD.replace('USER 10001:10001', 'USER 10001:0'), 'non-root'],
    ['RUN after USER', GOOD.replace('EXPOSE 3000', 'RUN touch /app/x\nEXPOSE 3000'), 'non-root'],
    [
      'files owned by the app user',
      GOOD.replace('COPY --from=build', 'COPY --chown=10001 --from=build'),
      'read-only-root',
    ],
    ['a VOLUME', GOOD.replace('EXPOSE 3000', 'VOLUME /data\nEXPOSE 3000'), 'read-only-root'],
    [
      'shell-form CMD',
      GOOD.replace('CMD ["node", "apps/api/dist/main.mjs"]', 'CMD node apps/api/dist/main.mjs'),
      'exec-form',
    ],
    [
      'npm as PID 1',
      GOOD.replace('CMD ["node", "apps/api/dist/main.mjs"]', 'CMD ["npm", "start"]'),
      'exec-form',
    ],
    ['the inherited entrypoint script', GOOD.replace('ENTRYPOINT []\n', ''), 'exec-form'],
    [
      'a missing OCI label',
      GOOD.replace('org.opencontainers.image.revision', 'org.example.revision'),
      'oci-labels',
    ],
    ['a label without its ARG', GOOD.replace('ARG REVISION=unknown\n', ''), 'oci-labels'],
    ['no APP_VERSION', GOOD.replace(' APP_VERSION=$' + '{VERSION}', ''), 'oci-labels'],
    ['ADD', GOOD.replace('COPY apps/ apps/', 'ADD apps/ apps/'), 'no-add'],
    ['the wrong port', GOOD.replace('EXPOSE 3000', 'EXPOSE 8080'), 'port'],
  ])('rejects %s', (_name, text, rule) => {
    expect(text).not.toBe(GOOD);
    expect(rulesBroken(text)).toContain(rule);
  });

  it('names the line of the offending instruction', () => {
    const text = GOOD.replace('USER 10001:10001', 'USER node');
    const line = text.split('\n').indexOf('USER node') + 1;
    expect(checkDockerfile(text, API)).toEqual([
      { line, rule: 'non-root', message: 'USER is numeric uid:gid (runAsNonRoot checks it)' },
    ]);
  });
});

interface RenderedContainer {
  image: string;
  argv: string[];
  readOnlyRoot: boolean;
  mounts: string[];
}

/** Containers anywhere in a rendered object: any mapping with a string `image`. */
function containersIn(node: unknown, found: RenderedContainer[] = []) {
  if (Array.isArray(node)) for (const item of node) containersIn(item, found);
  else if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    if (typeof record.image === 'string') {
      const argv = [record.command, record.args].flatMap((v) => (Array.isArray(v) ? v.map(String) : []));
      const security = record.securityContext as { readOnlyRootFilesystem?: boolean } | undefined;
      const mounts = Array.isArray(record.volumeMounts)
        ? record.volumeMounts.map((m) => String((m as { mountPath?: unknown }).mountPath))
        : [];
      found.push({
        image: record.image,
        argv,
        readOnlyRoot: security?.readOnlyRootFilesystem === true,
        mounts,
      });
    }
    for (const value of Object.values(record)) containersIn(value, found);
  }
  return found;
}

describe('rendered manifests and images agree', () => {
  const files = globSync('gitops/**/*.yaml', { cwd: root });
  const containers = files.flatMap((file) =>
    parseAllDocuments(read(file)).flatMap((doc) => containersIn(doc.toJS()).map((c) => ({ file, ...c }))),
  );

  it('finds containers of our images in gitops/', () => {
    expect(containers.some((c) => /^ghcr\.io\/payday\/api@/.test(c.image))).toBe(true);
  });

  it('runs our images with a read-only root filesystem and a writable /tmp (TMPDIR of the image)', () => {
    const problems = containers
      .filter((c) => /\/payday\/(api|frontend|worker)@/.test(c.image))
      .filter((c) => !c.readOnlyRoot || !c.mounts.includes('/tmp'))
      .map(
        (c) =>
          `${c.file}: ${c.readOnlyRoot ? '' : 'root filesystem writable; '}${c.mounts.includes('/tmp') ? '' : 'no /tmp mount'}`,
      );
    expect(problems).toEqual([]);
  });

  it('runs only files the image contains (a Job that runs the API image with another command)', () => {
    const problems: string[] = [];
    for (const { file, image, argv } of containers) {
      const app = /\/payday\/(api|frontend|worker)@/.exec(image)?.[1];
      if (app === undefined) continue;
      const provided = runtimeProvides(read(`apps/${app}/Dockerfile`));
      for (const arg of argv.filter((a) => /^apps\/.+\.m?js$/.test(a))) {
        if (!provided.includes(arg)) problems.push(`${file}: ${arg} is not in the ${app} image`);
      }
    }
    expect(problems).toEqual([]);
  });
});
