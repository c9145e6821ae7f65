/**
 * "Did you mean" for unknown keys: the nearest valid key by Levenshtein distance, offered only
 * when it is plausibly a typo (distance at most a third of the key's length, minimum 1... 2).
 */
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

export function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, candidates as string[]);
  const limit = Math.max(2, Math.floor(word.length / 3));
  return distance(word, best) <= limit ? best : undefined;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  schema?: z.ZodType;
}

function def(s: z.ZodType): Def {
  return (s as unknown as { _zod: { def: Def } })._zod.def;
}

/** Unwraps optional/default/prefault/pipe wrappers down to the schema that holds the shape. */
function unwrap(s: z.ZodType): z.ZodType {
  for (;;) {
    const d = def(s);
    if (d.innerType) s = d.innerType;
    else if (d.type === 'pipe' && d.in) s = d.in;
    else return s;
  }
}

/** The keys an object schema allows at `path` inside `schema` (empty if not an object there). */
export function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s = unwrap(schema);
  for (const p of path) {
    const d = def(s);
    if (d.type === 'object' && d.shape && typeof p === 'string' && p in d.shape) s = unwrap(d.shape[p]!);
    else if (d.type === 'array' && d.element) s = unwrap(d.element);
    else if (d.type === 'record' && d.valueType) s = unwrap(d.valueType);
    else return [];
  }
  const d = def(s);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
