import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespace } from './namespace.js';

/**
 * cel-go strings extension (ext.Strings, version 2+) functions cel-js lacks: charAt, replace,
 * reverse, strings.quote (split with a limit is built in). Semantics: https://pkg.go.dev/github.com/google/cel-go/ext#Strings
 */
export function registerStrings(env: Environment): void {
  registerNamespace(env, 'strings', 'StringsNamespace');
  env
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => {
      const chars = [...s];
      const idx = Number(i);
      if (idx < 0 || idx > chars.length) throw new Error(`index out of range: ${idx}`);
      return chars[idx] ?? '';
    })
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      s.split(a).join(b),
    )
    .registerFunction(
      'string.replace(string, string, int): string',
      (s: string, a: string, b: string, n: bigint) => replaceN(s, a, b, Number(n)),
    )
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => JSON.stringify(s));
}

function replaceN(s: string, from: string, to: string, n: number): string {
  if (n < 0) return s.split(from).join(to);
  let out = s;
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const at = out.indexOf(from, pos);
    if (at < 0) break;
    out = out.slice(0, at) + to + out.slice(at + from.length);
    pos = at + to.length;
  }
  return out;
}
