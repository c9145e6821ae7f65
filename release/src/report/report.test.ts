import { join } from 'node:path';
import { costsOfTree } from '@payday/generators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHistory } from '../history/history.js';
import { deliveryMetrics } from '../history/metrics.js';
import { buildTimeline } from '../history/timeline.js';
import { type AuditStory, auditStory } from '../testing/audit-story.js';
import { hour, image } from '../testing/repo.js';
import { buildMatrix } from './matrix.js';
import { renderReport } from './report-html.js';

let story: AuditStory;
const H = 3_600_000;

beforeAll(async () => {
  story = await auditStory();
});
afterAll(async () => {
  await story.repo.remove();
});

describe('release report', () => {
  it('builds the environment × app matrix with how far each environment is behind', async () => {
    const history = await loadHistory(story.repo.dir);
    const m = buildMatrix(history, hour(40).getTime());
    expect(m.envs).toEqual(['dev', 'staging', 'prod']);
    const cell = (env: string, app: string) => m.cells.find((c) => c.env === env && c.app === app)!;
    expect(cell('dev', 'api')).toMatchObject({ version: '1.1.0', status: 'source' });
    expect(cell('staging', 'api')).toMatchObject({
      version: '1.1.0',
      status: 'current',
      upstreamVersion: '1.1.0',
    });
    expect(cell('prod', 'api')).toMatchObject({
      version: '1.0.0',
      status: 'behind',
      behindBy: 1,
      upstreamVersion: '1.1.0',
      waitingMs: 36 * H,
      since: hour(31).getTime(),
      commit: story.commits.rollback,
    });
    expect(cell('prod', 'api').holds.map((h) => h.image)).toEqual([image('api', 2)]);
    expect(cell('prod', 'worker')).toMatchObject({ version: '1.3.0', status: 'current' });
  });

  it('computes deployment frequency, lead time, rollback rate and time to restore', async () => {
    const history = await loadHistory(story.repo.dir);
    const [dev, staging, prod] = deliveryMetrics(history, ['dev', 'staging', 'prod']);
    // prod: promote api (h30), rollback (h31), hand edit worker (h33), override worker (h35).
    expect(prod).toEqual({
      env: 'prod',
      deployments: 4,
      perDay: 4 / 1.5,
      leadTimeMs: 15 * H, // median of api 1.1.0 (dev h1 → prod h30) and worker 1.3.0 (dev h34 → prod h35)
      rollbacks: 1,
      rollbackRate: 0.25,
      timeToRestoreMs: 1 * H,
    });
    expect(staging).toMatchObject({
      deployments: 2,
      rollbacks: 0,
      leadTimeMs: 2.5 * H,
      timeToRestoreMs: undefined,
    });
    expect(dev).toMatchObject({ deployments: 2, leadTimeMs: undefined });
  });

  it('escapes what comes from commits and files', async () => {
    const history = await loadHistory(story.repo.dir);
    history.entries[0]!.subject = '<script>alert(1)</script>';
    const html = renderReport(history, { now: hour(40) });
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});

describe('one lineage answer for the report and verify', () => {
  it('shows a release in place since the file was created as baseline, and a bypass as the violation verify names', async () => {
    const { TestRepo, envYaml } = await import('../testing/repo.js');
    const { auditHistory } = await import('../verify/audit.js');
    const repo = await TestRepo.create();
    try {
      const rel = (api: number, worker: number) => ({
        api: { version: `1.${api}.0`, image: image('api', api) },
        worker: { version: `1.${worker}.0`, image: image('worker', worker) },
      });
      // staging was created running a worker dev never ran in this history: nothing was promoted.
      await repo.commit(
        {
          'environments/dev.yaml': envYaml('dev', { release: rel(1, 2) }),
          'environments/staging.yaml': envYaml('staging', {
            promotesFrom: 'dev',
            soak: '2h',
            release: rel(1, 5),
          }),
        },
        'chore: environments',
        hour(0),
      );
      const bypass = await repo.commit(
        {
          'environments/staging.yaml': envYaml('staging', {
            promotesFrom: 'dev',
            soak: '2h',
            release: rel(9, 5),
          }),
        },
        'fix(staging): api by hand',
        hour(1),
      );
      const audit = await auditHistory(repo.dir, { entries: true });
      expect(audit.violations.map((v) => `${v.commit} ${v.env}/${v.app} ${v.rule}`)).toEqual([
        `${bypass} staging/api lineage`,
      ]);
      const m = buildMatrix(audit.history, hour(2).getTime(), audit.violations);
      const cell = (app: string) => m.cells.find((c) => c.env === 'staging' && c.app === app)!;
      expect(cell('worker')).toMatchObject({ status: 'baseline', lineage: undefined });
      expect(cell('api')).toMatchObject({ status: 'diverged', lineage: 'violation', commit: bypass });
      const html = renderReport(audit.history, { now: hour(2), violations: audit.violations });
      expect(html).toContain('in place since environments/staging.yaml was created (no promotion to check)');
      expect(html).toContain('runs a release dev never ran (lineage violation)');
      expect(html).toContain('1 violation(s) without an approved override, 0 overridden.');
    } finally {
      await repo.remove();
    }
  });
});

describe('report costs', () => {
  it('shows requested capacity per environment when costs are given, nothing otherwise', () => {
    const history = { commits: [], timeline: buildTimeline([]), entries: [] };
    const now = new Date('2026-11-21T08:00:00Z');
    const costs = costsOfTree(join(import.meta.dirname, '../../../gitops'), ['prod']);
    const html = renderReport(history, { now, costs });
    expect(html).toMatch(
      /<table id="costs">[\s\S]*<th scope="row">prod<\/th><td>[\d.]+ CPU \/ [\d.]+ GiB<\/td>/,
    );
    expect(renderReport(history, { now })).not.toContain('id="costs"');
  });
});
