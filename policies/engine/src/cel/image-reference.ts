/**
 * OCI image reference parsing with go-containerregistry `name.ParseReference` defaults (the
 * library behind Kyverno's CEL image functions): a first path component with a `.` or `:` or
 * equal to `localhost` is the registry, otherwise the registry is Docker Hub
 * (`index.docker.io`) and single-component repositories get `library/`; no tag and no digest
 * means tag `latest`.
 */
export interface ImageReference {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
  /** The tag or digest that identifies the image (digest wins). */
  identifier: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const REPO_PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export class ImageReferenceError extends Error {}

export function parseImageReference(text: string): ImageReference {
  const fail = (why: string) => new ImageReferenceError(`could not parse reference: ${text} (${why})`);
  if (!text || text !== text.trim()) throw fail('empty or padded');
  let rest = text;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw fail('invalid digest');
  }
  let tag = '';
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw fail('invalid tag');
  }
  const parts = rest.split('/');
  let registry = 'index.docker.io';
  if (parts.length > 1 && (parts[0]!.includes('.') || parts[0]!.includes(':') || parts[0] === 'localhost')) {
    registry = parts.shift()!;
  }
  if (registry === 'docker.io') registry = 'index.docker.io';
  if (parts.length === 1 && registry === 'index.docker.io') parts.unshift('library');
  if (parts.length === 0 || !parts.every((p) => REPO_PART.test(p))) throw fail('invalid repository');
  if (!tag && !digest) tag = 'latest';
  return { registry, repository: parts.join('/'), tag, digest, identifier: digest || tag };
}
