import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromqlError, parsePromql, savePromqlCache, usePromqlCache } from './promql.js';
import { PromqlDiskCache, type StoredParse } from './promql-cache.js';

function scratch(): { dir: string; source: string } {
  const dir = mkdtempSync(join(tmpdir(), 'promql-cache-'));
  const source = join(dir, 'parser-source.txt');
  writeFileSync(source, 'parser v1');
  return { dir: join(dir, 'cache'), source };
}

const ENTRIES: [string, StoredParse][] = [
  [
    'sum by (app) (up{job="a"})',
    {
      selectors: [{ metric: 'up', matchers: [{ label: 'job', op: '=', value: 'a' }] }],
      groupings: [
        { labels: ['app'], selectors: [{ metric: 'up', matchers: [{ label: 'job', op: '=', value: 'a' }] }] },
      ],
    },
  ],
  ['{job="a"}', { selectors: [{ metric: undefined, matchers: [] }], groupings: [] }],
  ['sum(', { error: 'PromQL syntax error at offset 4: …' }],
];

describe('PromqlDiskCache', () => {
  it('gives back what it saved, a selector without a metric name included', () => {
    const { dir, source } = scratch();
    new PromqlDiskCache(dir, [source]).save(ENTRIES);
    const loaded = new PromqlDiskCache(dir, [source]).load();
    expect(loaded).toEqual(ENTRIES);
    expect(loaded[1]?.[1]).toHaveProperty('selectors.0.metric', undefined);
  });

  it('starts a new file when a source file changes, so a changed parser never reads old results', () => {
    const { dir, source } = scratch();
    new PromqlDiskCache(dir, [source]).save(ENTRIES);
    writeFileSync(source, 'parser v2');
    expect(new PromqlDiskCache(dir, [source]).load()).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('ignores a file it cannot parse or of another shape', () => {
    const { dir, source } = scratch();
    const cache = new PromqlDiskCache(dir, [source]);
    cache.save(ENTRIES);
    const [file] = readdirSync(dir);
    writeFileSync(join(dir, file!), '{"entries": [["up", {"selectors": "nope"}]]}');
    expect(cache.load()).toEqual([]);
    writeFileSync(join(dir, file!), '{"entries": [');
    expect(cache.load()).toEqual([]);
  });

  it('reads and writes nothing without a folder', () => {
    const { source } = scratch();
    const cache = new PromqlDiskCache(undefined, [source]);
    cache.save(ENTRIES);
    expect(cache.load()).toEqual([]);
  });
});

describe('parsePromql with a disk cache', () => {
  it('answers from the cache, and stores the queries it used once one was parsed afresh', () => {
    const { dir, source } = scratch();
    // A stored result the parser would never produce for this text proves it is read, not re-parsed.
    const stored: StoredParse = { selectors: [{ metric: 'from_cache', matchers: [] }], groupings: [] };
    new PromqlDiskCache(dir, [source]).save([
      ['up', stored],
      ['unused_query', stored],
    ]);
    usePromqlCache(new PromqlDiskCache(dir, [source]));
    expect(parsePromql('up')).toEqual(stored);
    savePromqlCache(); // nothing parsed afresh: the file is left as it was
    expect(new PromqlDiskCache(dir, [source]).load().map(([q]) => q)).toEqual(['up', 'unused_query']);

    expect(parsePromql('rate(x_total[5m])').selectors).toEqual([{ metric: 'x_total', matchers: [] }]);
    expect(() => parsePromql('sum(')).toThrow(PromqlError);
    savePromqlCache();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'))!;
    const written = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { entries: [string, unknown][] };
    // Used first, then what the file held (a test run does not evict the repository's queries).
    expect(written.entries.map(([q]) => q)).toEqual(['up', 'rate(x_total[5m])', 'sum(', 'unused_query']);

    // The next process reads the error back as an error with the same message.
    usePromqlCache(new PromqlDiskCache(dir, [source]));
    expect(() => parsePromql('sum(')).toThrow(/^PromQL syntax error at offset 4/);
  });
});
