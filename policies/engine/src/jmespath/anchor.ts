/**
 * Pattern anchors (kyverno v1.19.0 pkg/engine/anchor/anchor.go): `(k)` conditional, `<(k)`
 * global, `X(k)` negation, `+(k)` add-if-not-present (mutate only), `=(k)` equality, `^(k)`
 * existence.
 */
export type AnchorType = '' | '<' | 'X' | '+' | '=' | '^';

export interface Anchor {
  type: AnchorType;
  key: string;
}

const ANCHOR = /^([+<=X^])?\((.+)\)$/s;

export function parseAnchor(text: string): Anchor | undefined {
  const m = ANCHOR.exec(text.trim());
  if (!m) return undefined;
  return { type: (m[1] ?? '') as AnchorType, key: m[2]! };
}

export const anchorString = (type: AnchorType, key: string) => `${type}(${key})`;

/**
 * Anchor failures travel as errors whose kind decides the outcome, and, as in Kyverno's
 * `isError`, a plain error whose message carries an anchor message counts as that kind.
 */
export class PatternFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'conditional' | 'global' | 'negation' | 'plain' = 'plain',
    /** A skip aggregated from several anchor failures (Kyverno's PatternError{Skip: true}). */
    readonly aggregated = false,
  ) {
    super(message);
  }
}

export const CONDITIONAL = 'conditional anchor mismatch';
export const GLOBAL = 'global anchor mismatch';
export const NEGATION = 'negation anchor matched in resource';

export const isConditional = (e: PatternFailure) =>
  e.kind === 'conditional' || e.message.includes(CONDITIONAL);
export const isGlobal = (e: PatternFailure) => e.kind === 'global' || e.message.includes(GLOBAL);
export const isNegation = (e: PatternFailure) => e.kind === 'negation' || e.message.includes(NEGATION);
export const isSkip = (e: PatternFailure) => isConditional(e) || isGlobal(e);
