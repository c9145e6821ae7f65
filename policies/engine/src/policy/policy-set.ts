import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { ZodError } from 'zod';
import { CelCompileError } from '../cel/compile.js';
import { type CompiledException, compileException } from '../evaluate/exceptions.js';
import type { CompiledRule } from '../evaluate/types.js';
import { compileClusterPolicy } from './compile-cluster-policy.js';
import {
  type CompiledBinding,
  compileBinding,
  compileValidatingAdmissionPolicy,
} from './compile-validating-admission-policy.js';
import { compileValidatingPolicy } from './compile-validating-policy.js';
import {
  clusterPolicySchema,
  policyExceptionSchema,
  validatingAdmissionPolicyBindingSchema,
  validatingAdmissionPolicySchema,
  validatingPolicySchema,
} from './schema.js';
import { UNSUPPORTED_KINDS, type UnsupportedPolicy, UnsupportedPolicyError } from './unsupported.js';

/** A policy as loaded (for listings and reports). */
export interface PolicyInfo {
  name: string;
  kind: string;
  annotations: Record<string, string>;
  actions: string[];
  source?: string;
}

/** Every policy and exception compiled once, ready to evaluate many objects. */
export interface PolicySet {
  rules: CompiledRule[];
  exceptions: CompiledException[];
  policies: PolicyInfo[];
  /** ValidatingAdmissionPolicyBindings, read by their policies' matchers at evaluation time. */
  bindings: CompiledBinding[];
  /** Policies recorded instead of compiled (only with `unsupported: 'record'`). */
  unsupported: UnsupportedPolicy[];
}

export interface LoadOptions {
  /**
   * `throw` (the gate: fail closed on anything it cannot evaluate) or `record` (`kyverno test`:
   * a policy the engine cannot evaluate is reported as unsupported and the rest still runs).
   */
  unsupported?: 'throw' | 'record';
}

/** A policy that does not parse, validate or compile: the caller exits 2 (fail closed). */
export class PolicyLoadError extends Error {}

export function emptyPolicySet(): PolicySet {
  return { rules: [], exceptions: [], policies: [], bindings: [], unsupported: [] };
}

/** Adds one policy-like document; returns false for documents that are not policies. */
export function addPolicyDocument(
  set: PolicySet,
  doc: unknown,
  source?: string,
  options: LoadOptions = {},
): boolean {
  if (typeof doc !== 'object' || doc === null) return false;
  const { kind, metadata } = doc as { kind?: unknown; metadata?: { name?: unknown } };
  const where = `${source ?? '<inline>'}: ${String(kind)} ${String(metadata?.name ?? '<unnamed>')}`;
  try {
    return compileDocument(set, doc, kind, source);
  } catch (err) {
    const reason = err instanceof UnsupportedPolicyError ? err.message : describe(err);
    if (options.unsupported === 'record' && isUnsupported(err)) {
      const why =
        err instanceof CelCompileError
          ? `CEL the offline engine does not provide (${err.message.split('\n')[0]}): ${err.expression.trim()}`
          : reason;
      const name =
        kind === 'ValidatingAdmissionPolicyBinding'
          ? String((doc as { spec?: { policyName?: unknown } }).spec?.policyName ?? metadata?.name)
          : String(metadata?.name ?? '<unnamed>');
      set.unsupported.push({ name, kind: String(kind), reason: why, ...(source ? { source } : {}) });
      return true;
    }
    throw new PolicyLoadError(`${where}: ${reason}`);
  }
}

function compileDocument(set: PolicySet, doc: object, kind: unknown, source?: string): boolean {
  if (kind === 'ValidatingPolicy') {
    const parsed = validatingPolicySchema.parse(doc);
    set.rules.push(...compileValidatingPolicy(parsed, source));
    set.policies.push({
      name: parsed.metadata.name,
      kind,
      annotations: parsed.metadata.annotations ?? {},
      actions: parsed.spec.validationActions ?? ['Audit'],
      ...(source ? { source } : {}),
    });
    return true;
  }
  if (kind === 'ClusterPolicy' || kind === 'Policy') {
    const parsed = clusterPolicySchema.parse(doc);
    set.rules.push(...compileClusterPolicy(parsed, source));
    set.policies.push({
      name: parsed.metadata.name,
      kind,
      annotations: parsed.metadata.annotations ?? {},
      actions: [parsed.spec.validationFailureAction ?? 'Audit'],
      ...(source ? { source } : {}),
    });
    return true;
  }
  if (
    kind === 'PolicyException' &&
    String((doc as { apiVersion?: unknown }).apiVersion).startsWith('policies.kyverno.io/')
  ) {
    set.exceptions.push(compileException(policyExceptionSchema.parse(doc), source));
    return true;
  }
  if (kind === 'ValidatingAdmissionPolicy') {
    const parsed = validatingAdmissionPolicySchema.parse(doc);
    const rule = compileValidatingAdmissionPolicy(parsed, set.bindings, source);
    set.rules.push(rule);
    set.policies.push({
      name: parsed.metadata.name,
      kind,
      annotations: parsed.metadata.annotations ?? {},
      get actions() {
        return rule.actions;
      },
      ...(source ? { source } : {}),
    });
    return true;
  }
  if (kind === 'ValidatingAdmissionPolicyBinding') {
    set.bindings.push(compileBinding(validatingAdmissionPolicyBindingSchema.parse(doc)));
    return true;
  }
  if (typeof kind === 'string' && UNSUPPORTED_KINDS.has(kind)) {
    throw new UnsupportedPolicyError(`${kind} is not supported by the offline engine (validate only)`);
  }
  return false;
}

/** Loads every YAML document of the given files; non-policy documents are an error. */
export function loadPolicyFiles(
  files: readonly string[],
  set: PolicySet = emptyPolicySet(),
  options: LoadOptions = {},
): PolicySet {
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new PolicyLoadError(`${file}: cannot read: ${(err as Error).message}`);
    }
    const docs = parseAllDocuments(text);
    for (const d of docs) {
      if (d.errors.length) throw new PolicyLoadError(`${file}: invalid YAML: ${d.errors[0]!.message}`);
      const value = d.toJS();
      if (value === null) continue;
      if (!addPolicyDocument(set, value, file, options)) {
        throw new PolicyLoadError(
          `${file}: ${String(value.kind)} ${String(value.metadata?.name)} is not a supported policy kind`,
        );
      }
    }
  }
  return set;
}

/**
 * What the engine cannot evaluate, as opposed to a broken policy (bad YAML shape, CEL syntax):
 * an explicit refusal, or CEL that names a function or variable this environment lacks
 * (e.g. `globalContext`), which Kyverno would provide.
 */
function isUnsupported(err: unknown): boolean {
  if (err instanceof UnsupportedPolicyError) return true;
  return err instanceof CelCompileError && /^(Unknown variable|found no matching overload)/.test(err.message);
}

function describe(err: unknown): string {
  if (err instanceof CelCompileError)
    return `CEL expression does not compile: ${err.expression}\n${err.message}`;
  const issues = (err as ZodError).issues;
  if (Array.isArray(issues))
    return issues.map((i) => `${i.path.join('.') || '<root>'}: ${i.message}`).join('; ');
  return (err as Error).message;
}
