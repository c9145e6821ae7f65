import { compileExpression } from '../cel/compile.js';
import type { PolicyExceptionDoc } from '../policy/schema.js';
import type { NamedProgram } from './types.js';

/**
 * Where the waiver bookkeeping lives (annotation keys; spec fields of the same name also count).
 * The owner is the same key as the owner label every workload carries (policies/require-labels),
 * so one name answers "who owns this" for objects and for their waivers alike.
 */
export const EXCEPTION_ANNOTATIONS = {
  owner: 'payday.dev/owner',
  reason: 'payday.io/reason',
  expires: 'payday.io/expires',
} as const;

export interface CompiledException {
  name: string;
  namespace: string;
  ref: string;
  policyRefs: { name: string; kind: string }[];
  matchConditions: NamedProgram[];
  reportResult: 'skip' | 'pass';
  images: string[];
  allowedValues: string[];
  owner?: string;
  reason?: string;
  /** The parsed expiry instant (end of day UTC for a bare date). */
  expires?: Date;
  /** Raw expiry text, for messages. */
  expiresText?: string;
  source?: string;
}

/** policies.kyverno.io PolicyException: policyRefs + CEL matchConditions (all true ⇒ it applies). */
export function compileException(doc: PolicyExceptionDoc, source?: string): CompiledException {
  const ann = doc.metadata.annotations ?? {};
  const namespace = doc.metadata.namespace ?? 'default';
  const owner = ann[EXCEPTION_ANNOTATIONS.owner] ?? doc.spec.owner ?? undefined;
  const reason = ann[EXCEPTION_ANNOTATIONS.reason] ?? doc.spec.reason ?? undefined;
  const expiresText = ann[EXCEPTION_ANNOTATIONS.expires] ?? doc.spec.expires ?? undefined;
  const expires = expiresText ? parseExpiry(expiresText) : undefined;
  return {
    name: doc.metadata.name,
    namespace,
    ref: `${namespace}/${doc.metadata.name}`,
    policyRefs: doc.spec.policyRefs,
    matchConditions: doc.spec.matchConditions.map((c) => ({
      name: c.name,
      expression: c.expression,
      program: compileExpression(c.expression),
    })),
    reportResult: doc.spec.reportResult ?? 'skip',
    images: doc.spec.images ?? [],
    allowedValues: doc.spec.allowedValues ?? [],
    ...(owner ? { owner } : {}),
    ...(reason ? { reason } : {}),
    ...(expiresText ? { expiresText } : {}),
    ...(expires ? { expires } : {}),
    ...(source ? { source } : {}),
  };
}

/** `2026-12-31` means through the end of that day (UTC); full RFC 3339 timestamps are exact. */
export function parseExpiry(text: string): Date | undefined {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T23:59:59.999Z`) : new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Problems that make an exception unusable as a waiver in the gate (owner, reason, valid expiry). */
export function exceptionProblems(e: CompiledException): string[] {
  const problems: string[] = [];
  if (!e.owner) problems.push(`no owner (annotation ${EXCEPTION_ANNOTATIONS.owner})`);
  if (!e.reason) problems.push(`no reason (annotation ${EXCEPTION_ANNOTATIONS.reason})`);
  if (!e.expiresText) problems.push(`no expiry date (annotation ${EXCEPTION_ANNOTATIONS.expires})`);
  else if (!e.expires) problems.push(`expiry "${e.expiresText}" is not a date (use YYYY-MM-DD or RFC 3339)`);
  return problems;
}

export function isExpired(e: CompiledException, now: Date): boolean {
  return e.expires !== undefined && e.expires.getTime() < now.getTime();
}
