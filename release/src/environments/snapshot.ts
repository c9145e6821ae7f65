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
import { parseSimpleMapping } from './simple-mapping.js';

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

/**
 * Where the key that starts at `i` ends, or -1 when the line does not start with one: a plain
 * key (`[A-Za-z_][A-Za-z0-9_.-]*`), optional blanks, then `:` followed by a blank, a line end or
 * the end of the text (a block mapping's implicit key, YAML 1.2 §8.2.2).
 */
function keyEnd(text: string, i: number): number {
  let c = text.charCodeAt(i);
  if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95)) return -1;
  let k = i + 1;
  for (; k < text.length; k++) {
    c = text.charCodeAt(k);
    if (
      !(
        (c >= 97 && c <= 122) ||
        (c >= 65 && c <= 90) ||
        (c >= 48 && c <= 57) ||
        c === 95 ||
        c === 46 ||
        c === 45
      )
    )
      break;
  }
  let j = k;
  while (c === 32 || c === 9) c = text.charCodeAt(++j);
  if (c !== 58 /* : */) return -1;
  if (j + 1 < text.length) {
    c = text.charCodeAt(j + 1);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10) return -1;
  }
  return k;
}

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
    // Past the mapping's indentation, a line under a key continues it, whatever it holds.
    const limit = key === undefined ? end : Math.min(end, pos + indent + 1);
    let i = pos;
    while (i < limit && text.charCodeAt(i) === 32) i++;
    if (i - pos <= indent) {
      const c = text.charCodeAt(i);
      const blank = i === end || c === 35 /* # */ || c === 13;
      if (!blank) {
        if (i - pos < indent) return undefined;
        const k = keyEnd(text, i);
        if (k < 0) return undefined;
        const name = text.slice(i, k);
        if (name === key || out.has(name)) return undefined;
        if (key !== undefined) out.set(key, text.slice(start, pos));
        key = name;
        start = pos;
      }
    } else if (key === undefined && i < end) {
      const c = text.charCodeAt(i);
      if (c !== 35 && c !== 13) return undefined;
    }
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
 * A section's parsed value and what a snapshot derives from it (the `Release` of an app block,
 * the freezes of a `freezes:` section, …), made once per distinct text and shared by every
 * version that holds the same text. Snapshots are read, never edited, so sharing is safe.
 */
export interface SectionEntry {
  /** A flat copy of the text (see detached): what every version's `raw` map holds. */
  text: string;
  value: unknown;
  derived?: unknown;
}

/**
 * Parsed values by source text, shared across the versions of a history read. Each entry also
 * keeps the first copy of its text: the versions' `raw` maps hold that one string, so two equal
 * sections are one string (compared by identity), and the blob text a later version was cut
 * from is not kept alive by its sections.
 */
export type SectionCache = Map<string, SectionEntry>;

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

/** What a history read keeps besides the cache. */
interface ReadState {
  /** The settings objects of the last versions (see settingsOf). */
  settings: { settings: Record<string, unknown>; keys: string[] }[];
  /**
   * The section entries of the version last read of each file. History reads a file's versions
   * one after the other, and the next one repeats most sections: comparing a section with the
   * same key's text there settles it without hashing it for a cache lookup.
   */
  previous: Map<string, Map<string, SectionEntry>>;
}

const states = new WeakMap<SectionCache, ReadState>();

function stateOf(cache: SectionCache): ReadState {
  let state = states.get(cache);
  if (!state) {
    state = { settings: [], previous: new Map() };
    states.set(cache, state);
  }
  return state;
}

function add(text: string, value: unknown, cache: SectionCache): SectionEntry {
  const entry: SectionEntry = { text: detached(text), value };
  cache.set(entry.text, entry);
  return entry;
}

/** The entry of a section holding one key (`key:` and what is under it, at any indentation). */
function keyEntry(text: string, key: string, cache: SectionCache): SectionEntry {
  // An alias to an anchor elsewhere throws here: the caller then parses the file whole.
  return cache.get(text) ?? add(text, parseKey(text, key), cache);
}

function parseKey(text: string, key: string): unknown {
  const simple = parseSimpleMapping(text);
  return (simple ?? (jsyaml.load(text, LOAD_OPTIONS) as Record<string, unknown>))[key];
}

/**
 * The `release:` block app by app: a promotion copies an app's block verbatim, so the same
 * text appears in dev, staging and prod and is parsed once, and its `Release` is made once
 * (the app block's entry holds it). The whole section is an entry too: a promotion of every
 * app repeats it, and then its apps need neither splitting nor lookups.
 */
function releaseEntry(section: string, cache: SectionCache): SectionEntry {
  const hit = cache.get(section);
  if (hit) return hit;
  const apps = releaseApps(section);
  if (!apps) {
    const value = parseKey(section, 'release');
    const entry = add(section, value, cache);
    entry.derived = releaseOf(value);
    return entry;
  }
  const value: Record<string, unknown> = {};
  const out: Record<string, Release> = {};
  const problems: string[] = [];
  for (const [app, text] of apps) {
    const block = keyEntry(text, app, cache);
    value[app] = block.value;
    if (block.derived === undefined) block.derived = appRelease(block.value) ?? null;
    if (block.derived === null) problems.push(`release.${app}: needs an image`);
    else out[app] = block.derived as Release;
  }
  const entry = add(section, value, cache);
  entry.derived = { out, problems } satisfies Derived<Record<string, Release>>;
  return entry;
}

/** The app blocks of a `release:` section, or undefined when it is not a plain block mapping. */
function releaseApps(section: string): Map<string, string> | undefined {
  const nl = section.indexOf('\n');
  const head = nl < 0 ? section : section.slice(0, nl);
  if (nl < 0 || !/^release[ \t]*:[ \t]*(#.*)?\r?$/.test(head)) return undefined;
  let i = nl + 1;
  // The children's indentation is that of the first line that holds content.
  for (;;) {
    let j = i;
    while (j < section.length && section.charCodeAt(j) === 32) j++;
    const c = section.charCodeAt(j);
    if (j < section.length && (c === 10 || c === 13 || c === 35)) {
      const next = section.indexOf('\n', j);
      if (next < 0) return undefined;
      i = next + 1;
      continue;
    }
    return j > i ? splitAt(section, j - i, nl + 1) : undefined;
  }
}

interface Parsed {
  doc: Record<string, unknown>;
  raw: Map<string, string>;
  entries: Map<string, SectionEntry>;
}

function parseSections(
  text: string,
  cache: SectionCache,
  previous: Map<string, SectionEntry> | undefined,
): Parsed | undefined {
  const sections = splitSections(text);
  if (!sections) return undefined;
  const doc: Record<string, unknown> = {};
  const entries = new Map<string, SectionEntry>();
  for (const [key, section] of sections) {
    const same = previous?.get(key);
    const entry =
      same !== undefined && same.text === section
        ? same
        : key === 'release'
          ? releaseEntry(section, cache)
          : keyEntry(section, key, cache);
    doc[key] = entry.value;
    sections.set(key, entry.text);
    entries.set(key, entry);
  }
  return { doc, raw: sections, entries };
}

/** An app's `Release` record, or undefined when its block has no image. */
function appRelease(block: unknown): Release | undefined {
  if (!isRecord(block) || typeof block.image !== 'string') return undefined;
  return {
    version: block.version === undefined ? '' : String(block.version),
    image: block.image,
    config: block.config ?? {},
  };
}

/** What a snapshot derives from one parsed value, and the problems found on the way. */
interface Derived<T> {
  out: T;
  problems: string[];
}

/**
 * Derives a snapshot field from a section once per distinct text: the entry keeps it, so the
 * versions share what is derived (no new `Date`s, arrays or records per version). A value
 * read without the cache (a whole-file parse) is derived afresh.
 */
function derived<T>(
  key: string,
  value: unknown,
  entries: Map<string, SectionEntry> | undefined,
  derive: (value: unknown) => Derived<T>,
): Derived<T> {
  const entry = entries?.get(key);
  if (!entry) return derive(value);
  if (entry.derived === undefined) entry.derived = derive(entry.value);
  return entry.derived as Derived<T>;
}

function releaseOf(value: unknown): Derived<Record<string, Release>> {
  const problems: string[] = [];
  const out: Record<string, Release> = {};
  if (value !== undefined && !isRecord(value)) problems.push('release: must be a mapping');
  for (const [app, block] of Object.entries(isRecord(value) ? value : {})) {
    const rel = appRelease(block);
    if (rel) out[app] = rel;
    else problems.push(`release.${app}: needs an image`);
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
const RECENT_SETTINGS = 4;

// A release changes only the `release:` block, so the next version of a file usually has the
// very same settings values, and then shares the settings object of a recent version (one per
// environment, as files alternate in a history read).
function settingsOf(doc: Record<string, unknown>, state: ReadState | undefined): Record<string, unknown> {
  const recent = state?.settings ?? [];
  for (const candidate of recent) if (sameSettings(candidate, doc)) return candidate.settings;
  const settings: Record<string, unknown> = {};
  const keys: string[] = [];
  for (const k in doc) {
    if (RELEASE_KEYS.has(k)) continue;
    settings[k] = doc[k];
    keys.push(k);
  }
  recent.unshift({ settings, keys });
  if (recent.length > RECENT_SETTINGS) recent.pop();
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

/**
 * Reads one version of an environment file. Never throws: problems land in `invalid`. `file`
 * names the file in a history read (with a shared cache), so that consecutive versions of it
 * are compared section by section.
 */
export function readSnapshot(text: string, cache: SectionCache = new Map(), file?: string): Snapshot {
  const state = stateOf(cache);
  let doc: unknown;
  let raw: Map<string, string> | undefined;
  let entries: Map<string, SectionEntry> | undefined;
  try {
    const fast = parseSections(text, cache, file === undefined ? undefined : state.previous.get(file));
    doc = fast?.doc;
    raw = fast?.raw;
    entries = fast?.entries;
    if (fast && file !== undefined) state.previous.set(file, fast.entries);
  } catch {
    // fall through to the whole-file parse, which reports the error with its position
  }
  if (!raw) {
    entries = undefined;
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
  const release = derived('release', doc.release, entries, releaseOf);
  const promotion = derived('promotion', doc.promotion, entries, soakOf);
  const freezes = derived('freezes', doc.freezes, entries, freezesOf);
  const holds = derived('holds', doc.holds, entries, holdsOf);
  const problems =
    release.problems.length + promotion.problems.length + freezes.problems.length
      ? [...release.problems, ...promotion.problems, ...freezes.problems]
      : NO_PROBLEMS;
  const settings = settingsOf(doc, state);
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
  return sortStrings(out);
}

/**
 * `list.sort()` for strings (UTF-16 code unit order), skipping the sort, which copies the
 * array, when it is already in order: history sorts the keys of every compared value, and they
 * usually are.
 */
export function sortStrings(list: string[]): string[] {
  for (let i = 1; i < list.length; i++) if (list[i - 1]! > list[i]!) return list.sort();
  return list;
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
    sortStrings(keys);
    for (const k of keys) collectPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  // Two primitives (or a primitive and an object) that are not `===`: equal only when both
  // are NaN, as isDeepStrictEqual decides, without its cost for the common case.
  const primitive = typeof a !== 'object' || a === null || typeof b !== 'object' || b === null;
  if (primitive ? !Object.is(a, b) : !isDeepStrictEqual(a, b)) out.push(prefix || '(root)');
}

/** The digest part of an image reference, shortened for tables: `sha256:0123abcd…`. */
export function shortDigest(image: string | undefined): string {
  if (!image) return '—';
  const at = image.indexOf('@');
  if (at < 0) return image;
  return `${image.slice(at + 1, at + 1 + 'sha256:'.length + 12)}`;
}
