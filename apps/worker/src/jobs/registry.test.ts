import { describe, expect, it } from 'vitest';
import { createHandlers } from './registry.js';
import { WORKER_JOB_TYPES } from './types.js';

describe('job registry', () => {
  it('runs exactly the job types the configuration knows by name', () => {
    const types = createHandlers({ timeoutMs: 1000, allowPrivateTargets: false }).map((h) => h.type);
    expect(types.sort()).toEqual([...WORKER_JOB_TYPES].sort());
  });
});
