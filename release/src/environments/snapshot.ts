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

/**
 * Parsed values by source text, shared across the versions of a history read. Each entry also
 * keeps the first copy of its text: the versions' `raw` maps hold that one string, so two equal
 * sections are one string (compared by identity), and the blob text a later version was cut
 * from is not kept alive by its sections.
 */
export type SectionCache = Map<string, { text: string; value: unknown }>;

// YAML 1.2 core schema, as the `yaml` library (the renderer's loader) resolves plain scalars:
// no YAML 1.1 timestamps, merge keys or binary (js-yaml's default schema has those).
const LOAD_OPTIONS = { schema: jsyaml.CORE_SCHEMA };

/**
 * A copy of `text` that does not share the storage of the string it was cut from (a blob's
 * whole text). V8 represents a slice as a view of its parent, which would keep every version's
 * text alive for the whole read; concatenating and slicing again makes a flat copy.
 */
function detached(text: string): string {
  return ` ${text}`.slice(1);
}

function cached(text: string, parse: (text: string) => unknown, cache: SectionCache) {
  let entry = cache.get(text);
  if (entry === undefined) {
    // An alias to an anchor elsewhere throws here: the caller then parses the file whole.
    entry = { text: detached(text), value: parse(text) };
    cache.set(entry.text, entry);
  }
  return entry;
}

function cachedValue(text: string, key: string, cache: SectionCache) {
  return cached(text, (t) => (jsyaml.load(t, LOAD_OPTIONS) as Record<string, unknown>)[key], cache);
}

/**
 * The `release:` block app by app: a promotion copies an app's block verbatim, so the same
 * text appears in dev, staging and prod and is parsed once. The whole section is cached too:
 * a promotion of every app repeats it, and then its apps need neither splitting nor lookups.
 */
function releaseValue(section: string, cache: SectionCache) {
  return cached(section, (text) => releaseApps(text, cache), cache);
}

function releaseApps(section: string, cache: SectionCache): unknown {
  const nl = section.indexOf('\n');
  const head = nl < 0 ? section : section.slice(0, nl);
  if (nl < 0 || !/^release[ \t]*:[ \t]*(#.*)?\r?$/.test(head)) return parseKey(section, 'release');
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
    if (!apps) return parseKey(section, 'release');
    const out: Record<string, unknown> = {};
    for (const [app, text] of apps) out[app] = cachedValue(text, app, cache).value;
    return out;
  }
  return parseKey(section, 'release');
}

function parseKey(text: string, key: string): unknown {
  return (jsyaml.load(text, LOAD_OPTIONS) as Record<string, unknown>)[key];
}

function parseSections(
  text: string,
  cache: SectionCache,
): { doc: Record<string, unknown>; raw: Map<string, string> } | undefined {
  const sections = splitSections(text);
  if (!sections) return undefined;
  const doc: Record<string, unknown> = {};
  for (const [key, section] of sections) {
    const entry = key === 'release' ? releaseValue(section, cache) : cachedValue(section, key, cache);
    doc[key] = entry.value;
    sections.set(key, entry.text);
  }
  return { doc, raw: sections };
}

// One Release per parsed app block: the section cache hands out one parsed object per distinct
// text, so the versions of a history read share their Release objects too, and comparing two
// of them (entries, verify's lineage keys) starts with an identity check that usually settles it.
const appReleases = new WeakMap<object, Release>();

function appRelease(value: Record<string, unknown> & { image: string }): Release {
  let rel = appReleases.get(value);
  if (!rel) {
    rel = {
      version: value.version === undefined ? '' : String(value.version),
      image: value.image,
      config: value.config ?? {},
    };
    appReleases.set(value, rel);
  }
  return rel;
}

/** What a snapshot derives from one parsed value, and the problems found on the way. */
interface Derived<T> {
  out: T;
  problems: string[];
}

/**
 * Derives a snapshot field from a parsed value once per value: parsed values are shared by
 * every version with the same section text (the section cache), so the versions share what is
 * derived from them too (no new `Date`s, arrays or records per version). Snapshots are read,
 * never edited, so sharing is safe.
 */
function derived<T>(
  value: unknown,
  memo: WeakMap<object, Derived<T>>,
  derive: (value: unknown) => Derived<T>,
): Derived<T> {
  if (typeof value !== 'object' || value === null) return derive(value);
  let d = memo.get(value);
  if (!d) {
    d = derive(value);
    memo.set(value, d);
  }
  return d;
}

const releases = new WeakMap<object, Derived<Record<string, Release>>>();
const soaks = new WeakMap<object, Derived<number>>();
const freezeLists = new WeakMap<object, Derived<Freeze[]>>();
const holdLists = new WeakMap<object, Derived<Hold[]>>();

function releaseOf(value: unknown): Derived<Record<string, Release>> {
  const problems: string[] = [];
  const out: Record<string, Release> = {};
  if (value !== undefined && !isRecord(value)) problems.push('release: must be a mapping');
  for (const [app, block] of Object.entries(isRecord(value) ? value : {})) {
    if (!isRecord(block) || typeof block.image !== 'string') {
      problems.push(`release.${app}: needs an image`);
      continue;
    }
    out[app] = appRelease(block as Record<string, unknown> & { image: string });
  }
  return { out, problems };
}

/** Minimum soak in ms from `promotion:` (0 when not configured). */
function soakOf(promotion: unknown): Derived<number> {
  if (!isRecord(promotion) || promotion.soak === undefined) return { out: 0, problems: [] };
  try {
    return { out: parseDuration(String(promotion.soak)), problems: [] };
  } catch (err) {
    return { out: 0, problems: [`promotion.soak: ${(err as Error).message}`] };
  }
}

function freezesOf(value: unknown): Derived<Freeze[]> {
  const problems: string[] = [];
  const out: Freeze[] = [];
  for (const [i, f] of (Array.isArray(value) ? value : []).entries()) {
    const start = isRecord(f) ? toDate(f.start) : undefined;
    const end = isRecord(f) ? toDate(f.end) : undefined;
    if (!start || !end) problems.push(`freezes[${i}]: needs start and end timestamps`);
    else out.push({ start, end, reason: String((f as Record<string, unknown>).reason ?? '') });
  }
  return { out, problems };
}

function holdsOf(value: unknown): Derived<Hold[]> {
  const out: Hold[] = [];
  for (const h of Array.isArray(value) ? value : []) {
    if (isRecord(h) && typeof h.app === 'string' && typeof h.image === 'string') {
      out.push({
        app: h.app,
        image: h.image,
        reason: String(h.reason ?? ''),
        since: String(h.since ?? ''),
      });
    }
  }
  return { out, problems: [] };
}

const NO_PROBLEMS: string[] = [];

// The settings objects of the last versions read with a cache: a release changes only the
// `release:` block, so the next version of a file usually has the very same settings values,
// and then shares the object (one per environment, as files alternate in a history read).
const recentSettings = new WeakMap<SectionCache, { settings: Record<string, unknown>; keys: string[] }[]>();
const RECENT = 4;

function settingsOf(doc: Record<string, unknown>, cache: SectionCache): Record<string, unknown> {
  let recent = recentSettings.get(cache);
  if (!recent) {
    recent = [];
    recentSettings.set(cache, recent);
  }
  for (const candidate of recent) if (sameSettings(candidate, doc)) return candidate.settings;
  const settings: Record<string, unknown> = {};
  const keys: string[] = [];
  for (const k in doc) {
    if (RELEASE_KEYS.has(k)) continue;
    settings[k] = doc[k];
    keys.push(k);
  }
  recent.unshift({ settings, keys });
  if (recent.length > RECENT) recent.pop();
  return settings;
}

/** Whether `doc`'s non-release values are exactly those of a recent settings object (same objects, same order). */
function sameSettings(
  { settings, keys }: { settings: Record<string, unknown>; keys: string[] },
  doc: Record<string, unknown>,
): boolean {
  let i = 0;
  for (const k in doc) {
    if (RELEASE_KEYS.has(k)) continue;
    if (keys[i] !== k || settings[k] !== doc[k]) return false;
    i++;
  }
  return i === keys.length;
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
  const release = derived(doc.release, releases, releaseOf);
  const promotion = derived(doc.promotion, soaks, soakOf);
  const freezes = derived(doc.freezes, freezeLists, freezesOf);
  const holds = derived(doc.holds, holdLists, holdsOf);
  const problems =
    release.problems.length + promotion.problems.length + freezes.problems.length
      ? [...release.problems, ...promotion.problems, ...freezes.problems]
      : NO_PROBLEMS;
  const settings = settingsOf(doc, cache);
  const snapshot: Snapshot = {
    raw,
    promotesFrom: typeof doc.promotesFrom === 'string' ? doc.promotesFrom : undefined,
    soakMs: promotion.out,
    freezes: freezes.out,
    holds: holds.out,
    release: release.out,
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
