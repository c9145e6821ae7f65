import type { K8sObject } from '../../model.js';
import { rec } from '../meta.js';
import type { ExpandContext } from '../types.js';

/** cloudnative-pg v1.30.0 pkg/versions/versions.go: the operator release we pin and its defaults. */
export const CNPG_VERSION = '1.30.0';
export const CNPG_DEFAULT_POSTGRES_IMAGE = 'ghcr.io/cloudnative-pg/postgresql:18.4-system-trixie';
export const CNPG_DEFAULT_PGBOUNCER_IMAGE = 'ghcr.io/cloudnative-pg/pgbouncer:1.25.1';
/** cloudnative-pg chart 0.29.0 values.yaml `image.repository`; the tag defaults to appVersion 1.30.0. */
const OPERATOR_REPOSITORY = 'ghcr.io/cloudnative-pg/cloudnative-pg';
/** plugin-barman-cloud chart 0.7.0 values.yaml `sidecarImage`; the tag defaults to appVersion v0.13.0. */
const SIDECAR = {
  registry: 'ghcr.io',
  repository: 'cloudnative-pg/plugin-barman-cloud-sidecar',
  tag: 'v0.13.0',
};

export interface OperatorConfig {
  /** OPERATOR_IMAGE_NAME: the bootstrap-controller init container of every instance and Job. */
  operatorImage: string;
  /** INHERITED_LABELS / INHERITED_ANNOTATIONS: globs of Cluster labels every created object inherits. */
  inheritedLabels: string[];
  inheritedAnnotations: string[];
  createAnyService: boolean;
  /** The barman-cloud plugin's SIDECAR_IMAGE. */
  barmanSidecarImage: string;
}

/**
 * The operator configuration the Cluster rule needs, read from the platform Applications that
 * install it (`cloudnative-pg`, `plugin-barman-cloud`) with their chart defaults:
 * cloudnative-pg chart 0.29.0 templates/deployment.yaml sets OPERATOR_IMAGE_NAME to
 * `image.repository:image.tag|appVersion` and loads `config.data` as the operator's
 * configuration (cloudnative-pg v1.30.0 internal/configuration/configuration.go).
 */
export function operatorConfig(ctx: ExpandContext): OperatorConfig {
  const cnpg = helmValues(ctx.find('Application', 'argocd', 'cloudnative-pg'));
  const image = rec(cnpg.image);
  const data = rec(rec(cnpg.config).data);
  const plugin = rec(helmValues(ctx.find('Application', 'argocd', 'plugin-barman-cloud')).sidecarImage);
  const list = (v: unknown) =>
    typeof v === 'string' && v.trim() ? v.split(',').map((s) => s.trim()) : ([] as string[]);
  return {
    operatorImage: `${String(image.repository ?? OPERATOR_REPOSITORY)}:${String(image.tag || CNPG_VERSION)}`,
    inheritedLabels: list(data.INHERITED_LABELS),
    inheritedAnnotations: list(data.INHERITED_ANNOTATIONS),
    createAnyService: String(data.CREATE_ANY_SERVICE) === 'true',
    barmanSidecarImage: `${String(plugin.registry ?? SIDECAR.registry)}/${String(plugin.repository ?? SIDECAR.repository)}:${String(plugin.tag || SIDECAR.tag)}`,
  };
}

function helmValues(app: K8sObject | undefined): Record<string, unknown> {
  return rec(rec(rec(rec(app?.spec).source).helm).valuesObject);
}

/** cloudnative-pg v1.30.0 internal/configuration/configuration.go evaluateGlobPatterns (path.Match). */
export function globMatches(patterns: string[], name: string): boolean {
  return patterns.some((p) =>
    new RegExp(
      `^${p
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    ).test(name),
  );
}
