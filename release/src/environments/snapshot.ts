/**
 * The release-relevant view of one version of an environment file: what runs (`release:`),
 * the rules a promotion into it must respect (`promotesFrom`, `promotion.soak`, `freezes`,
 * `holds`), and everything else as opaque settings. History reads thousands of versions, so
 * this uses js-yaml's fast loader (about 10× the `yaml` library's) and never edits; edits go
 * through env-document.ts, which keeps comments.
 *
 * A version that does not parse is kept as `invalid` rather than thrown: history must still
 * be readable when an old commit held a broken file.
 */
import { isDeepStrictEqual } from 'node:util';
import { type EnvironmentSettings, parseDuration } from '@payday/generators/environments';
import jsyaml from 'js-yaml';

type Settings = EnvironmentSettings;
type AppRelease = NonNullable<Settings['release'][keyof Settings['release']]>;

/**
 * An app's `release:` block as the schema defines it, with `config` left unchecked: history reads
 * every old version, and one that no longer validates must still be readable.
 */
export type Release = Pick<AppRelease, 'version' | 'image'> & { config: unknown };

/** A `freezes:` window, its RFC 3339 bounds read as instants. */
export type Freeze = Omit<Settings['freezes'][number], 'start' | 'end'> & { start: Date; end: Date };

/** A `holds:` entry; `app` is any name, since an old version may hold an app no longer in the catalogue. */
export type Hold = Omit<Settings['holds'][number], 'app'> & { app: string };

export interface Snapshot {
  /**
   * Source text of each top-level key (or its JSON when the file had to be parsed whole):
   * equal text means equal value, so history compares text and parses only what changed.
   */
  raw: Map<string, string>;
  promotesFrom: Settings['promotesFrom'];
  /** Minimum soak in ms (0 when not configured). */
  soakMs: number;
  freezes: Freeze[];
  holds: Hold[];
  release: Record<string, Release>;
  /** Every top-level key except the release ones, for "config change" detection. */
  settings: Record<string, unknown>;
  /** Set when the file could not be read; the other fields are then empty. */
  invalid?: string;
}

const RELEASE_KEYS = new Set(['release', 'holds']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return v;
  if (typeof v === 'string') {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  return undefined;
}

const EMPTY: Omit<Snapshot, 'invalid'> = {
  raw: new Map(),
  promotesFrom: undefined,
  soakMs: 0,
  freezes: [],
  holds: [],
  release: {},
  settings: {},
};

// A key of a block mapping at a given indentation (YAML 1.2 §8.2.2, block mappings).
const KEY = /([A-Za-z_][\w.-]*)[ \t]*:(?=[ \t\r\n]|$)/y;

/**
 * Splits the lines of `text` (from offset `from`) at the keys of a block mapping indented by
 * `indent` spaces. Lines indented deeper, blank lines and comments continue the current key.
 * Returns undefined for anything else (a flow mapping, `---`, directives, a duplicate key, a
 * line indented less): the caller then parses the whole text. Substrings, not copies.
 */
function splitAt(text: string, indent: number, from: number): Map<string, string> | undefined {
  const out = new Map<string, string>();
  let key: string | undefined;
  let start = from;
  let pos = from;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl;
    let i = pos;
    while (i < end && text.charCodeAt(i) === 32) i++;
    const c = text.charCodeAt(i);
    const blank = i === end || c === 35 /* # */ || c === 13;
    if (!blank && i - pos <= indent) {
      if (i - pos < indent) return undefined;
      KEY.lastIndex = i;
      const m = KEY.exec(text);
      if (!m || out.has(m[1]!) || m[1] === key) return undefined;
      if (key !== undefined) out.set(key, text.slice(start, pos));
      key = m[1]!;
      start = pos;
    } else if (!blank && key === undefined) return undefined;
    pos = end + 1;
  }
  if (key !== undefined) out.set(key, text.slice(start));
  return out;
}

/** Splits a block-mapping document at its top-level keys (see splitAt). */
export function splitSections(text: string): Map<string, string> | undefined {
  return splitAt(text, 0, 0);
}

/** Parsed values by source text, shared across the versions of a history read. */
export type SectionCache = Map<string, unknown>;

// YAML 1.2 core schema, as the `yaml` library (the renderer's loader) resolves plain scalars:
// no YAML 1.1 timestamps, merge keys or binary (js-yaml's default schema has those).
const LOAD_OPTIONS = { schema: jsyaml.CORE_SCHEMA };

function cachedValue(text: string, key: string, cache: SectionCache): unknown {
  let value = cache.get(text);
  if (value === undefined && !cache.has(text)) {
    // An alias to an anchor elsewhere throws here: the caller then parses the file whole.
    value = (jsyaml.load(text, LOAD_OPTIONS) as Record<string, unknown>)[key];
    cache.set(text, value);
  }
  return value;
}

/**
 * The `release:` block app by app: a promotion copies an app's block verbatim, so the same
 * text appears in dev, staging and prod and is parsed once.
 */
function releaseValue(section: string, cache: SectionCache): unknown {
  const nl = section.indexOf('\n');
  const head = nl < 0 ? section : section.slice(0, nl);
  if (nl < 0 || !/^release[ \t]*:[ \t]*(#.*)?\r?$/.test(head)) return cachedValue(section, 'release', cache);
  let i = nl + 1;
  // The children's indentation is that of the first line that holds content.
  for (;;) {
    let j = i;
    while (j < section.length && section.charCodeAt(j) === 32) j++;
    const c = section.charCodeAt(j);
    if (j < section.length && (c === 10 || c === 13 || c === 35)) {
      const next = section.indexOf('\n', j);
      if (next < 0) break;
      i = next + 1;
      continue;
    }
    const apps = j > i ? splitAt(section, j - i, nl + 1) : undefined;
    if (!apps) return cachedValue(section, 'release', cache);
    const out: Record<string, unknown> = {};
    for (const [app, text] of apps) out[app] = cachedValue(text, app, cache);
    return out;
  }
  return cachedValue(section, 'release', cache);
}

function parseSections(
  text: string,
  cache: SectionCache,
): { doc: Record<string, unknown>; raw: Map<string, string> } | undefined {
  const sections = splitSections(text);
  if (!sections) return undefined;
  const doc: Record<string, unknown> = {};
  for (const [key, section] of sections) {
    doc[key] = key === 'release' ? releaseValue(section, cache) : cachedValue(section, key, cache);
  }
  return { doc, raw: sections };
}

// One Release per parsed app block: the section cache hands out one parsed object per distinct
// text, so the versions of a history read share their Release objects too, and comparing two
// of them (entries, verify's lineage keys) starts with an identity check that usually settles it.
const releases = new WeakMap<object, Release>();

function releaseOf(value: Record<string, unknown> & { image: string }): Release {
  let rel = releases.get(value);
  if (!rel) {
    rel = {
      version: value.version === undefined ? '' : String(value.version),
      image: value.image,
      config: value.config ?? {},
    };
    releases.set(value, rel);
  }
  return rel;
}

/** Reads one version of an environment file. Never throws: problems land in `invalid`. */
export function readSnapshot(text: string, cache: SectionCache = new Map()): Snapshot {
  let doc: unknown;
  let raw: Map<string, string> | undefined;
  try {
    const fast = parseSections(text, cache);
    doc = fast?.doc;
    raw = fast?.raw;
  } catch {
    // fall through to the whole-file parse, which reports the error with its position
  }
  if (!raw) {
    try {
      doc = jsyaml.load(text, LOAD_OPTIONS);
    } catch (err) {
      return { ...EMPTY, raw: new Map(), invalid: (err as Error).message.split('\n')[0] ?? 'YAML error' };
    }
    if (doc === undefined || doc === null) doc = {};
    if (!isRecord(doc)) return { ...EMPTY, raw: new Map(), invalid: 'the file is not a YAML mapping' };
    raw = new Map(Object.entries(doc).map(([k, v]) => [k, JSON.stringify(v)]));
  }
  if (!isRecord(doc)) return { ...EMPTY, raw: new Map(), invalid: 'the file is not a YAML mapping' };
  const problems: string[] = [];
  const release: Record<string, Release> = {};
  if (doc.release !== undefined && !isRecord(doc.release)) problems.push('release: must be a mapping');
  for (const [app, value] of Object.entries(isRecord(doc.release) ? doc.release : {})) {
    if (!isRecord(value) || typeof value.image !== 'string') {
      problems.push(`release.${app}: needs an image`);
      continue;
    }
    release[app] = releaseOf(value as Record<string, unknown> & { image: string });
  }
  let soakMs = 0;
  const promotion = doc.promotion;
  if (isRecord(promotion) && promotion.soak !== undefined) {
    try {
      soakMs = parseDuration(String(promotion.soak));
    } catch (err) {
      problems.push(`promotion.soak: ${(err as Error).message}`);
    }
  }
  const freezes: Freeze[] = [];
  for (const [i, f] of (Array.isArray(doc.freezes) ? doc.freezes : []).entries()) {
    const start = isRecord(f) ? toDate(f.start) : undefined;
    const end = isRecord(f) ? toDate(f.end) : undefined;
    if (!start || !end) problems.push(`freezes[${i}]: needs start and end timestamps`);
    else freezes.push({ start, end, reason: String((f as Record<string, unknown>).reason ?? '') });
  }
  const holds: Hold[] = [];
  for (const h of Array.isArray(doc.holds) ? doc.holds : []) {
    if (isRecord(h) && typeof h.app === 'string' && typeof h.image === 'string') {
      holds.push({
        app: h.app,
        image: h.image,
        reason: String(h.reason ?? ''),
        since: String(h.since ?? ''),
      });
    }
  }
  const settings: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!RELEASE_KEYS.has(k)) settings[k] = v;
  const snapshot: Snapshot = {
    raw,
    promotesFrom: typeof doc.promotesFrom === 'string' ? doc.promotesFrom : undefined,
    soakMs,
    freezes,
    holds,
    release,
    settings,
  };
  if (problems.length) snapshot.invalid = problems.join('; ');
  return snapshot;
}

export function sameRelease(a: Release | undefined, b: Release | undefined): boolean {
  return a === b || isDeepStrictEqual(a, b);
}

const NO_KEYS = new Map<string, string>();

/**
 * Top-level keys whose text differs between two versions (a superset of the keys whose value
 * differs: a moved comment changes text, not value). Cheap; refine with changedPaths.
 */
export function changedKeys(a: Snapshot | undefined, b: Snapshot | undefined): string[] {
  const ra = a?.raw ?? NO_KEYS;
  const rb = b?.raw ?? NO_KEYS;
  const out: string[] = [];
  for (const [k, text] of ra) if (rb.get(k) !== text) out.push(k);
  for (const k of rb.keys()) if (!ra.has(k)) out.push(k);
  return out.sort();
}

/** Dotted paths of the settings that differ between two snapshots (for "config change" rows and `diff`). */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  const out: string[] = [];
  collectPaths(a, b, prefix, out);
  return out;
}

// Depth first, keys sorted: the order changedPaths promises. History calls this for every
// changed block of every version, so it appends to one array instead of building one per level.
function collectPaths(a: unknown, b: unknown, prefix: string, out: string[]): void {
  if (a === b) return;
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    let keys = ka;
    if (ka.length !== kb.length || ka.some((k, i) => k !== kb[i])) keys = [...new Set([...ka, ...kb])];
    keys.sort();
    for (const k of keys) collectPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  if (!isDeepStrictEqual(a, b)) out.push(prefix || '(root)');
}

/** The digest part of an image reference, shortened for tables: `sha256:0123abcd…`. */
export function shortDigest(image: string | undefined): string {
  if (!image) return '—';
  const at = image.indexOf('@');
  if (at < 0) return image;
  return `${image.slice(at + 1, at + 1 + 'sha256:'.length + 12)}`;
}
