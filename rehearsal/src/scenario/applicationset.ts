import { rec } from '../expand/meta.js';
import type { K8sObject } from '../model.js';
import { renderDeep, TemplateError } from './go-template.js';

/** The pull request the preview scenario plays (the pull-request generator's parameters). */
export interface SamplePullRequest {
  number: number;
  title: string;
  branch: string;
  targetBranch: string;
  headSha: string;
  author: string;
  labels: string[];
}

export const SAMPLE_PULL_REQUEST: SamplePullRequest = {
  number: 123,
  title: 'Sample change',
  branch: 'feature/sample-change',
  targetBranch: 'main',
  headSha: '0123456789abcdef0123456789abcdef01234567',
  author: 'sample-author',
  labels: ['preview'],
};

export class ApplicationSetError extends Error {}

/**
 * The Applications an ApplicationSet generates over the rendered tree.
 *  - git directory generator (argo-cd v3.5.1 applicationset/generators/git.go filterApps,
 *    generateParamsFromApps): every directory of the repository matching a `directories[].path`
 *    pattern (Go path.Match: `*` stops at `/`) and no `exclude: true` pattern; goTemplate params
 *    `path.path`, `path.basename`, `path.basenameNormalized`, `path.segments`;
 *  - pull-request generator (applicationset/generators/pull_request.go): one parameter set for
 *    the sample pull request when it carries every label the generator filters on: `number`,
 *    `title`, `branch`, `branch_slug`, `target_branch`, `target_branch_slug`, `head_sha`,
 *    `head_short_sha`, `head_short_sha_7`, `author`, `labels`.
 * The template is rendered with goTemplate and its options (missingkey=error); the Application is
 * placed in the ApplicationSet's namespace (applicationset/controllers/applicationset_controller.go).
 * Other generators fail closed.
 */
export function generateApplications(
  appSet: K8sObject,
  directories: readonly string[],
  pr: SamplePullRequest,
): K8sObject[] {
  const spec = rec(appSet.spec);
  if (spec.goTemplate !== true)
    throw new ApplicationSetError('only goTemplate: true ApplicationSets are evaluated');
  const missingKeyError = ((spec.goTemplateOptions as string[] | undefined) ?? []).includes(
    'missingkey=error',
  );
  const params: Record<string, unknown>[] = [];
  for (const g of (spec.generators as unknown[]) ?? []) {
    const gen = rec(g);
    if (gen.git) params.push(...gitDirectoryParams(rec(gen.git), directories));
    else if (gen.pullRequest) params.push(...pullRequestParams(rec(gen.pullRequest), pr));
    else throw new ApplicationSetError(`generator ${Object.keys(gen).join(', ')} is not evaluated`);
  }
  const template = rec(spec.template);
  return params.map((p) => {
    let rendered: Record<string, unknown>;
    try {
      rendered = renderDeep(template, p, missingKeyError);
    } catch (err) {
      if (err instanceof TemplateError) throw new ApplicationSetError(`template: ${err.message}`);
      throw err;
    }
    const meta = rec(rendered.metadata);
    return {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { ...meta, name: String(meta.name), namespace: appSet.metadata.namespace ?? 'argocd' },
      spec: rendered.spec,
    } as K8sObject;
  });
}

function gitDirectoryParams(
  git: Record<string, unknown>,
  directories: readonly string[],
): Record<string, unknown>[] {
  const items = ((git.directories as unknown[]) ?? []).map(rec);
  if (!items.length)
    throw new ApplicationSetError('only the git directory generator is evaluated (git files is not)');
  const matchers = items.map((i) => ({ re: goPathMatch(String(i.path)), exclude: i.exclude === true }));
  const out: Record<string, unknown>[] = [];
  for (const dir of [...directories].sort()) {
    const hits = matchers.filter((m) => m.re.test(dir));
    if (!hits.some((m) => !m.exclude) || hits.some((m) => m.exclude)) continue;
    const base = dir.split('/').at(-1)!;
    const path = {
      path: dir,
      basename: base,
      basenameNormalized: sanitizeName(base),
      segments: dir.split('/'),
    };
    const prefix = git.pathParamPrefix;
    out.push(typeof prefix === 'string' && prefix ? { [prefix]: { path } } : { path });
  }
  return out;
}

function pullRequestParams(gen: Record<string, unknown>, pr: SamplePullRequest): Record<string, unknown>[] {
  const provider = rec(
    gen.github ?? gen.gitlab ?? gen.gitea ?? gen.bitbucketServer ?? gen.bitbucket ?? gen.azuredevops,
  );
  const wanted = (provider.labels as string[] | undefined) ?? [];
  if (!wanted.every((l) => pr.labels.includes(l))) return [];
  return [
    {
      number: pr.number,
      title: pr.title,
      branch: pr.branch,
      branch_slug: slug(pr.branch),
      target_branch: pr.targetBranch,
      target_branch_slug: slug(pr.targetBranch),
      head_sha: pr.headSha,
      head_short_sha: pr.headSha.slice(0, 8),
      head_short_sha_7: pr.headSha.slice(0, 7),
      author: pr.author,
      labels: pr.labels,
    },
  ];
}

/** Go path.Match as a regular expression: `*` and `?` never cross `/`. */
export function goPathMatch(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i);
      if (end < 0) throw new ApplicationSetError(`bad pattern ${pattern}`);
      re += `[${pattern
        .slice(i + 1, end)
        .replace(/^\^/, '^')
        .replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** argo-cd v3.5.1 applicationset/utils/utils.go SanitizeName: DNS-1123 lowercase, `-` for the rest. */
function sanitizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9-.]/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253);
}

/** applicationset/generators/pull_request.go slug: lowercase DNS label, `-` for the rest, at most 50. */
function slug(branch: string): string {
  return branch
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50)
    .replace(/-+$/, '');
}
