import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPgbench, PGBENCH_MISSING, pgbench } from './pgbench.js';

describe('pgbench', () => {
  const empty = mkdtempSync(join(tmpdir(), 'no-pgbench-'));
  afterAll(() => rmSync(empty, { recursive: true, force: true }));

  it('is found on PATH, or not', () => {
    expect(hasPgbench({ ...process.env, PATH: empty })).toBe(false);
    const dir = mkdtempSync(join(tmpdir(), 'fake-pgbench-'));
    try {
      writeFileSync(join(dir, 'pgbench'), '#!/bin/sh\necho "pgbench (PostgreSQL) 15"\n');
      chmodSync(join(dir, 'pgbench'), 0o755);
      expect(hasPgbench({ ...process.env, PATH: dir })).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says how to get pgbench when a run needs it and it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = empty;
    try {
      await expect(
        pgbench('postgres://bench:secret@127.0.0.1:1/bench', { script: 'none.sql', clients: 1 }),
      ).rejects.toThrow(PGBENCH_MISSING);
    } finally {
      process.env.PATH = path;
    }
  });
});
