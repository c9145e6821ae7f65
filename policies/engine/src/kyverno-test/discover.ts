import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Finds kyverno-test.yaml files under the given paths (hidden `.kyverno-test/` folders included). */
export function discoverTestFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (p: string) => {
    const st = statSync(p);
    if (st.isFile()) {
      if (/kyverno-test\.ya?ml$/.test(p)) found.push(p);
      return;
    }
    for (const entry of readdirSync(p).sort()) {
      if (entry === 'node_modules') continue;
      walk(join(p, entry));
    }
  };
  for (const p of paths) {
    // A mistyped argument is named as such, not as the ENOENT of a stat call.
    if (!statSync(p, { throwIfNoEntry: false }))
      throw new Error(`${p} does not exist (name a folder or a kyverno-test.yaml, e.g. policies)`);
    walk(p);
  }
  return found;
}
