/**
 * Parsed PromQL kept on disk between processes. Parsing the ~100 queries of a rendered repository
 * is most of the metric provenance check's cost in a fresh process (the grammar's parser runs cold,
 * before V8 has optimised it), and the queries rarely change between two renders. Like the
 * render's validator cache (generators/src/validate/compile.ts), the file is named by a hash of
 * what produced its content: this folder's parser module and the grammar and parser runtime it
 * uses, so any change to either starts a new file. A file that cannot be read or does not have the
 * expected shape is ignored (the queries are parsed again), never trusted.
 *
 * Where: `$PAYDAY_REHEARSAL_CACHE` (empty: no cache), else `node_modules/.cache/payday-rehearsal/`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ParsedQuery, Selector } from './promql.js';

const MATCHER = z.object({ label: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() });
const SELECTOR = z.object({ metric: z.string().optional(), matchers: z.array(MATCHER) });
const PARSED = z.object({
  selectors: z.array(SELECTOR),
  groupings: z.array(z.object({ labels: z.array(z.string()), selectors: z.array(SELECTOR) })),
});
const ENTRY = z.union([PARSED, z.object({ error: z.string() })]);
const FILE = z.object({ entries: z.array(z.tuple([z.string(), ENTRY])) });

/** A parse result as stored: the parsed query, or the message of the error it raised. */
export type StoredParse = ParsedQuery | { error: string };

/** JSON has no `undefined`: a selector without a metric name comes back without the key. */
const selector = (s: z.infer<typeof SELECTOR>): Selector => ({ metric: s.metric, matchers: s.matchers });

const DEFAULT_DIR = resolve(import.meta.dirname, '../../../node_modules/.cache/payday-rehearsal');

/** The files whose bytes decide what a query parses to (`sources` is promql.ts). */
function fingerprint(sources: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of sources) hash.update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

export class PromqlDiskCache {
  readonly #file: string | undefined;

  /** `dir` undefined: nothing is read or written. */
  constructor(dir: string | undefined, sources: readonly string[]) {
    this.#file = dir ? join(dir, `promql-${fingerprint(sources)}.json`) : undefined;
  }

  /** The stored results, or none when the file is missing, unreadable or of another shape. */
  load(): [string, StoredParse][] {
    if (!this.#file) return [];
    let text: string;
    try {
      text = readFileSync(this.#file, 'utf8');
    } catch {
      return [];
    }
    try {
      const parsed = FILE.safeParse(JSON.parse(text));
      if (!parsed.success) return [];
      return parsed.data.entries.map(([query, stored]) => [
        query,
        'error' in stored
          ? stored
          : {
              selectors: stored.selectors.map(selector),
              groupings: stored.groupings.map((g) => ({
                labels: g.labels,
                selectors: g.selectors.map(selector),
              })),
            },
      ]);
    } catch {
      return [];
    }
  }

  /** Replaces the file with `entries`, atomically (a temporary file renamed over it). */
  save(entries: readonly [string, StoredParse][]): void {
    if (!this.#file) return;
    const dir = resolve(this.#file, '..');
    const tmp = `${this.#file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(tmp, JSON.stringify({ entries }));
      renameSync(tmp, this.#file);
    } catch {
      // A cache that cannot be written (read-only checkout) only costs the next process a parse.
      rmSync(tmp, { force: true });
    }
  }
}

/** The cache of this process: `$PAYDAY_REHEARSAL_CACHE`, else node_modules/.cache/payday-rehearsal. */
export function defaultPromqlCache(): PromqlDiskCache {
  const env = process.env.PAYDAY_REHEARSAL_CACHE;
  const dir = env === undefined ? DEFAULT_DIR : env || undefined;
  const module = (specifier: string) => fileURLToPath(import.meta.resolve(specifier));
  return new PromqlDiskCache(dir, [
    fileURLToPath(new URL('./promql.ts', import.meta.url)),
    module('@prometheus-io/lezer-promql'),
    module('@lezer/lr'),
    module('@lezer/common'),
  ]);
}
