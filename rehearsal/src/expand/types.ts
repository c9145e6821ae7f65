import type { K8sObject } from '../model.js';

/** What a rule may look up: other objects of the same scenario (a ScheduledBackup reads its Cluster). */
export interface ExpandContext {
  find(kind: string, namespace: string | undefined, name: string): K8sObject | undefined;
}

/**
 * How one controller turns one kind into the objects it creates, at our pinned version.
 * `rule` names the upstream source file (or documentation page) at the pinned tag that the
 * expansion follows; it lands in every expanded object's `Origin.rule`.
 */
export interface ExpansionRule {
  kind: string;
  /** API group of the kind (`apps`, `postgresql.cnpg.io`; `''` for core). */
  group: string;
  controller: string;
  rule: string;
  expand(parent: K8sObject, ctx: ExpandContext): K8sObject[];
}

/** A kind whose controller creates no API objects the rehearsal needs, with the reason. */
export interface NothingCreated {
  kind: string;
  group: string;
  reason: string;
}

/** A rule met input it cannot evaluate: the rehearsal fails closed with this message. */
export class ExpansionError extends Error {}
