import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EvalEnvironment } from '../evaluate/types.js';
import { isKubeObject, type KubeObject } from '../kube/objects.js';
import type { ResourceMap } from '../kube/resource-map.js';
import { readObjects } from '../load/objects.js';
import { TestFileError } from './test-file.js';

/**
 * The side files a kyverno-test.yaml points at, with the shapes of the Kyverno CLI's API
 * (kyverno v1.19.0 cmd/cli/kubectl-kyverno/apis/v1alpha1: context.go, clusterresource.go,
 * user_info.go). Each is validated so a typo fails with the file and field named.
 */
const objectList = z.array(z.custom<KubeObject>((v) => isKubeObject(v), 'not a Kubernetes object'));

const contextSchema = z.object({
  spec: z
    .object({
      resources: objectList.nullish(),
      images: z.array(z.object({ image: z.string().min(1) }).loose()).nullish(),
    })
    .default({}),
});

const clusterResourceSchema = z.object({
  spec: z.object({ crds: z.array(z.string()).nullish(), resources: objectList.nullish() }).default({}),
});

const userInfoSchema = z.object({
  userInfo: z
    .object({
      username: z.string().nullish(),
      uid: z.string().nullish(),
      groups: z.array(z.string()).nullish(),
      extra: z.record(z.string(), z.array(z.string())).nullish(),
    })
    .nullish(),
  roles: z.array(z.string()).nullish(),
  clusterRoles: z.array(z.string()).nullish(),
});

function readYaml<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TestFileError(`${file}: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new TestFileError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

/**
 * A `Context` file: objects for `resource.get/list` and image metadata for `image.GetMetadata`,
 * keyed by the exact `image` string. Like the CLI (processor/utils.go), each image entry is the
 * whole record (`image`, `resolvedImage`, `registry`, `repository`, `tag`, `digest`,
 * `imageIndex`, `manifest`, `config`).
 */
export function readContextFile(file: string): {
  resources: KubeObject[];
  images: Map<string, Record<string, unknown>>;
} {
  const { spec } = readYaml(file, contextSchema);
  const images = new Map<string, Record<string, unknown>>();
  for (const image of spec.images ?? []) {
    images.set(image.image, {
      resolvedImage: '',
      registry: '',
      repository: '',
      ...image,
    });
  }
  return { resources: spec.resources ?? [], images };
}

/** `ClusterResource` files: their resources, with their CRDs registered in the resource map. */
export function readClusterResources(
  files: readonly string[],
  resources: ResourceMap,
): KubeObject[] | undefined {
  if (files.length === 0) return undefined;
  const out: KubeObject[] = [];
  for (const file of files) {
    const { spec } = readYaml(file, clusterResourceSchema);
    for (const crdFile of spec.crds ?? []) {
      for (const crd of readObjects(resolve(dirname(file), crdFile))) resources.addCrd(crd);
    }
    out.push(...(spec.resources ?? []));
  }
  return out;
}

/** A `UserInfo` file: the request's `userInfo` (username, uid, groups, extra). */
export function readUserInfo(file: string): NonNullable<EvalEnvironment['userInfo']> {
  const { userInfo } = readYaml(file, userInfoSchema);
  return {
    username: userInfo?.username ?? '',
    ...(userInfo?.uid ? { uid: userInfo.uid } : {}),
    groups: userInfo?.groups ?? [],
    ...(userInfo?.extra ? { extra: userInfo.extra } : {}),
  };
}

/** A JSON payload: must be a JSON object (kyverno test.go: "must be a top-level object (map)"). */
export function readJsonPayload(file: string, name: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new TestFileError(`failed to load JSON payload ${name} (${(err as Error).message})`);
  }
  if (data === null) throw new TestFileError(`JSON payload ${name} is empty or nil`);
  if (typeof data !== 'object' || Array.isArray(data))
    throw new TestFileError(`JSON payload ${name} must be a top-level object (map)`);
  return data as Record<string, unknown>;
}
