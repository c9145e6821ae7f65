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
import jsyaml from 'js-yaml';
import { parseDuration } from './duration.js';

export interface Release {
  version: string;
  image: string;
  config: unknown;
}

export interface Freeze {
  start: Date;
  end: Date;
  reason: string;
}

export interface Hold {
  app: string;
  image: string;
  reason: string;
  since: string;
}

export interface Snapshot {
  promotesFrom: string | undefined;
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
  promotesFrom: undefined,
  soakMs: 0,
  freezes: [],
  holds: [],
  release: {},
  settings: {},
};

/** Reads one version of an environment file. Never throws: problems land in `invalid`. */
export function readSnapshot(text: string): Snapshot {
  let doc: unknown;
  try {
    doc = jsyaml.load(text);
  } catch (err) {
    return { ...EMPTY, invalid: (err as Error).message.split('\n')[0] ?? 'YAML error' };
  }
  if (doc === undefined || doc === null) doc = {};
  if (!isRecord(doc)) return { ...EMPTY, invalid: 'the file is not a YAML mapping' };
  const problems: string[] = [];
  const release: Record<string, Release> = {};
  if (doc.release !== undefined && !isRecord(doc.release)) problems.push('release: must be a mapping');
  for (const [app, value] of Object.entries(isRecord(doc.release) ? doc.release : {})) {
    if (!isRecord(value) || typeof value.image !== 'string') {
      problems.push(`release.${app}: needs an image`);
      continue;
    }
    release[app] = {
      version: value.version === undefined ? '' : String(value.version),
      image: value.image,
      config: value.config ?? {},
    };
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
  return isDeepStrictEqual(a, b);
}

/** Dotted paths of the settings that differ between two snapshots (for "config change" rows and `diff`). */
export function changedPaths(a: unknown, b: unknown, prefix = ''): string[] {
  if (isDeepStrictEqual(a, b)) return [];
  if (isRecord(a) && isRecord(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], prefix ? `${prefix}.${k}` : k));
  }
  return [prefix || '(root)'];
}

/** The digest part of an image reference, shortened for tables: `sha256:0123abcd…`. */
export function shortDigest(image: string | undefined): string {
  if (!image) return '—';
  const at = image.indexOf('@');
  if (at < 0) return image;
  return `${image.slice(at + 1, at + 1 + 'sha256:'.length + 12)}`;
}
