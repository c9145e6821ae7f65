import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { K8sObject, RenderedInput } from '../model.js';

/** Top folders of `gitops/` that are not an environment: they belong to every scenario. */
export const GLOBAL_FOLDERS = new Set(['argocd', 'platform']);

/** Files the renderer writes for people or for Kustomize, not Kubernetes objects to apply. */
const NOT_MANIFESTS = /^(index|README|kustomization)\.ya?ml$/i;

export class GitopsLoadError extends Error {}

/**
 * Reads a rendered `gitops/` tree back from disk as the rehearsal's input: every `*.yaml` under
 * it, one `RenderedInput` per document, `environment` set from the top folder (`dev`, `staging`,
 * `prod`, `preview`) and left out for the shared `argocd/` and `platform/` trees. A document that
 * is not a Kubernetes object fails with the file and the document number. `sharedOnly` reads
 * only `argocd/` and `platform/` (what a render of selected environments does not produce).
 */
export function readGitopsDir(gitopsDir: string, options: { sharedOnly?: boolean } = {}): RenderedInput[] {
  const out: RenderedInput[] = [];
  for (const file of yamlFiles(gitopsDir)) {
    const path = relative(gitopsDir, file).split(sep).join('/');
    const top = path.split('/')[0]!;
    if (options.sharedOnly && !GLOBAL_FOLDERS.has(top)) continue;
    const docs = parseAllDocuments(readFileSync(file, 'utf8'));
    docs.forEach((doc, i) => {
      if (doc.errors.length) throw new GitopsLoadError(`${path}: ${doc.errors[0]!.message}`);
      const value = doc.toJS() as unknown;
      if (value === null || value === undefined) return;
      if (!isK8sObject(value))
        throw new GitopsLoadError(
          `${path}: document ${i + 1} is not a Kubernetes object (apiVersion, kind, metadata.name)`,
        );
      out.push({ path, object: value, ...(GLOBAL_FOLDERS.has(top) ? {} : { environment: top }) });
    });
  }
  return out;
}

function isK8sObject(v: unknown): v is K8sObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const meta = o.metadata as Record<string, unknown> | undefined;
  return typeof o.apiVersion === 'string' && typeof o.kind === 'string' && typeof meta?.name === 'string';
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.')) continue;
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(entry) && !NOT_MANIFESTS.test(entry)) out.push(p);
  }
  return out;
}
