import type { Environment } from '@marcbachmann/cel-js';
import { compileRe2 } from '../re2.js';

/**
 * Kubernetes CEL regex library (`find`, `findAll`) and `matches` with RE2 syntax.
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-regex-library
 */
export function registerRegex(env: Environment): void {
  env
    .registerFunction(
      'string.find(string): string',
      (s: string, re: string) => compileRe2(re).exec(s)?.[0] ?? '',
    )
    .registerFunction('string.findAll(string): list<string>', (s: string, re: string) => findAll(s, re, -1))
    .registerFunction('string.findAll(string, int): list<string>', (s: string, re: string, n: bigint) =>
      findAll(s, re, Number(n)),
    );
}

function findAll(s: string, re: string, limit: number): string[] {
  if (limit === 0) return [];
  const out: string[] = [];
  for (const m of s.matchAll(compileRe2(re, true))) {
    out.push(m[0]);
    if (limit > 0 && out.length >= limit) break;
  }
  return out;
}
