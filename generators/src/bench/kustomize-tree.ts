/**
 * The kustomize baseline of the render benchmark: a conventional base/overlay tree that yields the
 * same objects per environment and app as the synthetic render (ServiceAccount, ConfigMap,
 * Services, Rollout; Namespace per environment), built by `kubectl kustomize` in one run.
 * Bases hold one rendered app of each kind; each overlay sets the name prefix, namespace, labels,
 * image digest and replicas, as a hand-written kustomize repository would.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { APP_NAMES, type AppName } from '../catalogue/apps.js';
import type { RenderResult } from '../render/types.js';
import { appName, envName } from './synthetic.js';

/**
 * Writes the tree under `dir` from a render of the synthetic repository (its first environment's
 * objects become the bases; `apps` must be at least 3, one of each kind). Returns the directory
 * to pass to `kubectl kustomize`.
 */
export async function writeKustomizeTree(
  dir: string,
  result: RenderResult,
  envs: number,
  apps: number,
): Promise<string> {
  const first = result.environments[0]!;
  // One base per app kind: the objects of svc-00 (api), svc-01 (frontend), svc-02 (worker),
  // renamed back to plain names and stripped of environment specifics.
  for (let k = 0; k < APP_NAMES.length; k++) {
    const app = APP_NAMES[k]!;
    const name = appName(k);
    const objects = first.objects.filter((o) => o.folder === name);
    const files: string[] = [];
    await mkdir(join(dir, 'base', app), { recursive: true });
    for (const o of objects) {
      const object = structuredClone(o.object);
      delete object.metadata.namespace; // the overlay sets it
      const text = stringify(object, { lineWidth: 0, aliasDuplicateObjects: false })
        .replaceAll(`${name}-${first.name}`, app)
        .replaceAll(name, app);
      const file = `${o.object.kind.toLowerCase()}-${o.object.metadata.name.replace(name, app)}.yaml`;
      files.push(file);
      await writeFile(join(dir, 'base', app, file), text);
    }
    await writeFile(join(dir, 'base', app, 'kustomization.yaml'), stringify({ resources: files.sort() }));
  }
  const envDirs: string[] = [];
  for (let e = 0; e < envs; e++) {
    const env = envName(e);
    const overlays: string[] = [];
    await mkdir(join(dir, env), { recursive: true });
    await writeFile(
      join(dir, env, 'namespace.yaml'),
      stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `payday-${env}` } }),
    );
    for (let i = 0; i < apps; i++) {
      const app = APP_NAMES[i % APP_NAMES.length] as AppName;
      const svc = appName(i);
      await mkdir(join(dir, env, svc), { recursive: true });
      const kustomization = {
        resources: [`../../base/${app}`],
        namespace: `payday-${env}`,
        namePrefix: `${svc}-`,
        labels: [
          {
            pairs: { 'app.kubernetes.io/instance': `${svc}-${env}`, 'payday.dev/environment': env },
            includeSelectors: true,
          },
        ],
        images: [{ name: `ghcr.io/payday/${app}`, digest: `sha256:${String(e).padStart(64, '0')}` }],
        patches: [
          {
            target: { kind: 'Rollout' },
            patch: JSON.stringify([{ op: 'add', path: '/spec/revisionHistoryLimit', value: 2 + (e % 3) }]),
          },
        ],
      };
      await writeFile(join(dir, env, svc, 'kustomization.yaml'), stringify(kustomization));
      overlays.push(svc);
    }
    await writeFile(
      join(dir, env, 'kustomization.yaml'),
      stringify({ resources: ['namespace.yaml', ...overlays] }),
    );
    envDirs.push(env);
  }
  await writeFile(join(dir, 'kustomization.yaml'), stringify({ resources: envDirs }));
  return dir;
}
