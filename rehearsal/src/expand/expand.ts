import type { ClusterObject, Finding, K8sObject } from '../model.js';
import { ref } from '../model.js';
import { groupOf } from './meta.js';
import { NOTHING, RULES } from './rules.js';
import { type ExpandContext, ExpansionError, type ExpansionRule } from './types.js';

const key = (group: string, kind: string) => `${group}/${kind}`;
const BY_KIND = new Map<string, ExpansionRule>(RULES.map((r) => [key(r.group, r.kind), r]));
const DECLARED = new Set(NOTHING.map((n) => key(n.group, n.kind)));

/** How deep a chain of controllers may go (CronJob → Job → Pod is 2; a loop would never end). */
const MAX_DEPTH = 4;

/** The rule for a kind, `'nothing'` when declared as creating nothing, `undefined` when unknown. */
export function ruleFor(o: Pick<K8sObject, 'apiVersion' | 'kind'>): ExpansionRule | 'nothing' | undefined {
  const k = key(groupOf(o.apiVersion), o.kind);
  return BY_KIND.get(k) ?? (DECLARED.has(k) ? 'nothing' : undefined);
}

/**
 * Runs every controller over the scenario's objects, then over what they created, until nothing
 * new appears. A kind with no rule and no "creates nothing" declaration, or input a rule cannot
 * evaluate, is an `expansion` error finding naming the object.
 */
export function expandObjects(objects: ClusterObject[]): { objects: ClusterObject[]; findings: Finding[] } {
  const all = [...objects];
  const index = new Map<string, K8sObject>();
  const put = (o: K8sObject) => index.set(`${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`, o);
  for (const c of all) put(c.object);
  const ctx: ExpandContext = { find: (kind, ns, name) => index.get(`${kind}/${ns ?? ''}/${name}`) };
  const findings: Finding[] = [];
  let frontier = objects;
  for (let depth = 0; frontier.length && depth <= MAX_DEPTH; depth++) {
    const next: ClusterObject[] = [];
    for (const { object } of frontier) {
      const rule = ruleFor(object);
      if (rule === 'nothing') continue;
      if (!rule) {
        findings.push({
          check: 'expansion',
          severity: 'error',
          subject: ref(object),
          message: `no expansion rule for ${object.apiVersion} ${object.kind}: add one in rehearsal/src/expand/ citing the controller's source, or declare it as creating nothing (expand/rules.ts NOTHING) with the reason`,
        });
        continue;
      }
      let children: K8sObject[];
      try {
        children = rule.expand(object, ctx);
      } catch (err) {
        if (!(err instanceof ExpansionError)) throw err;
        findings.push({
          check: 'expansion',
          severity: 'error',
          subject: ref(object),
          message: `${rule.controller} expansion cannot evaluate it (fails closed): ${err.message}`,
        });
        continue;
      }
      for (const child of children) {
        const c: ClusterObject = {
          object: child,
          origin: { kind: 'expanded', controller: rule.controller, parent: ref(object), rule: rule.rule },
        };
        next.push(c);
        put(child);
      }
    }
    if (depth === MAX_DEPTH && next.length)
      for (const c of next)
        findings.push({
          check: 'expansion',
          severity: 'error',
          subject: ref(c.object),
          message: `controllers still create objects after ${MAX_DEPTH} levels: a loop in the expansion rules`,
        });
    all.push(...next);
    frontier = next;
  }
  return { objects: all, findings };
}
