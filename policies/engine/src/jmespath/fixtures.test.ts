import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverTestFiles } from '../kyverno-test/discover.js';
import { runTestFile } from '../kyverno-test/run-test.js';

/** The truth tables under policies/engine/fixtures/jmespath, one per feature, in `kyverno test` format. */
const root = join(import.meta.dirname, '../../fixtures/jmespath');

describe('JMESPath truth-table fixtures', () => {
  const files = discoverTestFiles([root]);
  it('covers every feature folder', () => {
    expect(files.map((f) => f.split('/').at(-2)).sort()).toEqual([
      'anchors',
      'autogen',
      'context',
      'deny-conditions',
      'foreach',
      'functions',
      'pattern-operators',
      'pod-security',
      'preconditions-operation',
    ]);
  });
  for (const file of files) {
    it(`${file.split('/').at(-2)}: every expected result holds`, () => {
      const rows = runTestFile(file);
      const failing = rows.filter((r) => r.verdict === 'fail');
      expect(failing).toEqual([]);
      expect(rows.filter((r) => r.verdict === 'pass').length).toBeGreaterThan(3);
    });
  }
});
