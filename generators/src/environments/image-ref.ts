/**
 * Container image references as the environment files pin them:
 * `ghcr.io/payday/api@sha256:<64 hex>` (a digest is immutable; a tag is not, see the
 * OCI distribution spec "Pulling manifests" and docs/design/environments.md §Images by digest).
 */
export interface ImageRef {
  /** Registry host and repository path, e.g. `ghcr.io/payday/api`. */
  repository: string;
  tag?: string;
  /** `sha256:<64 lowercase hex>` when well formed. */
  digest?: string;
}

// Repository grammar from the OCI distribution spec (path components of lowercase alphanumerics
// joined by separators), with an optional registry host[:port] in front.
const REPOSITORY =
  /^(?:[a-z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
export const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Splits a reference; returns an error message instead of throwing (the caller has the position). */
export function parseImageRef(value: string): ImageRef | { error: string } {
  const at = value.indexOf('@');
  const name = at === -1 ? value : value.slice(0, at);
  const digest = at === -1 ? undefined : value.slice(at + 1);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const repository = colon === -1 ? name : name.slice(0, colon);
  const tag = colon === -1 ? undefined : name.slice(colon + 1);
  if (!REPOSITORY.test(repository))
    return { error: `"${value}" is not an image reference (registry/repository[:tag][@sha256:…])` };
  if (tag !== undefined && !TAG.test(tag)) return { error: `malformed tag "${tag}"` };
  if (digest !== undefined && !DIGEST.test(digest)) {
    return {
      error: `malformed digest "${digest}": expected sha256: followed by 64 lowercase hex characters`,
    };
  }
  return { repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}
