import jsyaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { changedKeys, readSnapshot, splitSections } from './snapshot.js';

const D = `sha256:${'a'.repeat(64)}`;

/** The section-by-section fast path must read every file exactly as a whole-file parse does. */
const CASES: Record<string, string> = {
  block: `# prod\npromotesFrom: staging\npromotion:\n  soak: 24h\nrelease:\n  # the API\n  api:\n    version: 1.4.2\n    image: ghcr.io/payday/api@${D}\n    config: { FLAG: "on" }\n\n  worker: { version: 1.0.0, image: "ghcr.io/payday/worker@${D}" }\napps:\n  api:\n    replicas: 3\n`,
  flowRelease: `release: { api: { version: 1.0.0, image: x@${D} } }\nholds: []\n`,
  crlf: `promotesFrom: dev\r\nrelease:\r\n  api:\r\n    version: 2.0.0\r\n    image: y@${D}\r\n`,
  blockScalar: `notes: |\n  line one\n  line two\nrelease:\n  api: { version: 1.0.0, image: z@${D} }\n`,
  indentedBy4: `release:\n    api:\n        version: 1.0.0\n        image: w@${D}\n    worker:\n        version: 1.1.0\n        image: v@${D}\n`,
  anchorsAcrossSections: `defaults: &d { version: 1.0.0, image: "u@${D}" }\nrelease:\n  api: *d\n`,
  freezes: `freezes:\n  - { start: 2026-12-20T00:00:00Z, end: 2027-01-04T00:00:00Z, reason: "year-end" }\nrelease: {}\n`,
  documentStart: `---\nrelease:\n  api: { version: 1.0.0, image: t@${D} }\n`,
};

describe('readSnapshot', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`reads "${name}" as a whole-file parse does`, () => {
      const whole = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown>;
      const s = readSnapshot(text);
      expect(s.invalid).toBeUndefined();
      const release = Object.fromEntries(
        Object.entries(
          (whole.release ?? {}) as Record<string, { version: unknown; image: string; config?: unknown }>,
        ).map(([app, r]) => [app, { version: String(r.version), image: r.image, config: r.config ?? {} }]),
      );
      expect(s.release).toEqual(release);
      const { release: _r, holds: _h, ...settings } = whole;
      expect(s.settings).toEqual(settings);
    });
  }

  it('keeps freeze times as instants and versions as strings', () => {
    const s = readSnapshot(CASES.freezes!);
    expect(s.freezes[0]!.start.toISOString()).toBe('2026-12-20T00:00:00.000Z');
    expect(readSnapshot(`release:\n  api: { version: 1.10, image: x }\n`).release.api!.version).toBe('1.1');
  });

  it('reports what it cannot read instead of throwing', () => {
    expect(readSnapshot('release: [\n').invalid).toMatch(/^unexpected end of the stream/);
    expect(readSnapshot('- a\n- b\n').invalid).toBe('the file is not a YAML mapping');
    expect(readSnapshot('release:\n  api: { version: 1.0.0 }\n').invalid).toBe('release.api: needs an image');
    expect(readSnapshot('promotion: { soak: soon }\nrelease: {}\n').invalid).toBe(
      'promotion.soak: malformed duration "soon" (expected e.g. 24h, 1h30m, 90m, 2d)',
    );
    // A duplicate key is an error in YAML; the fast path must not silently take one of them.
    expect(readSnapshot('release: {}\nrelease: {}\n').invalid).toMatch(/duplicated mapping key/);
  });

  it('splits only block mappings at column 0', () => {
    expect([...splitSections('a: 1\n# c\nb:\n  c: 2\n')!.keys()]).toEqual(['a', 'b']);
    expect(splitSections('{ a: 1 }\n')).toBeUndefined();
    expect(splitSections('a: 1\na: 2\n')).toBeUndefined();
    expect(splitSections('  a: 1\n')).toBeUndefined();
    expect(splitSections('a:b\n')).toBeUndefined();
    expect(splitSections('- a\n')).toBeUndefined();
    const sections = splitSections('# c\n\na : 1\n  # deep\n\n   \n    x\nb:')!;
    expect([...sections]).toEqual([
      ['a', 'a : 1\n  # deep\n\n   \n    x\n'],
      ['b', 'b:'],
    ]);
  });

  it('compares versions by section text, then by value', () => {
    const a = readSnapshot('promotesFrom: dev\nrelease: {}\n');
    const b = readSnapshot('promotesFrom: dev\nrelease: {}\napps: { api: { replicas: 2 } }\n');
    expect(changedKeys(a, b)).toEqual(['apps']);
    expect(changedKeys(a, readSnapshot('promotesFrom: dev\nrelease: {}\n'))).toEqual([]);
  });
});

describe('readSnapshot with a shared section cache (a history read)', () => {
  const version = (n: number, replicas: number) =>
    `# dev\nfreezes:\n  - { start: 2026-12-20T00:00:00Z, end: 2027-01-04T00:00:00Z }\nrelease:\n  api:\n    version: 1.${n}.0\n    image: ghcr.io/payday/api@${D}\napps:\n  api: { replicas: ${replicas} }\n`;

  it('shares equal sections, and what is derived from them, between versions', () => {
    const cache = new Map();
    const [a, b, c] = [version(1, 2), version(2, 3), version(3, 2)].map((t) => readSnapshot(t, cache));
    // The same section text is one string and one parsed value: compared by identity.
    expect(b!.raw.get('freezes')).toBe(a!.raw.get('freezes'));
    expect(b!.freezes).toBe(a!.freezes);
    expect(c!.settings).toBe(a!.settings);
    // A different value is never shared.
    expect(b!.settings).not.toBe(a!.settings);
    expect(b!.settings.apps).toEqual({ api: { replicas: 3 } });
    expect(c!.release.api!.version).toBe('1.3.0');
    expect(changedKeys(a, b)).toEqual(['apps', 'release']);
    expect(changedKeys(a, c)).toEqual(['release']);
  });

  it('reads each version as a whole-file parse does, in any order', () => {
    const cache = new Map();
    for (const text of [version(1, 2), version(2, 3), version(1, 2), ...Object.values(CASES)]) {
      const whole = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown>;
      const { release: _r, holds: _h, ...settings } = whole;
      expect(readSnapshot(text, cache).settings).toEqual(settings);
    }
  });
});
