import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCsv, formatTable, formatViolations } from '../report/history-format.js';
import { type AuditStory, auditStory } from '../testing/audit-story.js';
import { hour, image } from '../testing/repo.js';
import { auditHistory } from '../verify/audit.js';
import { verifyHistory } from '../verify/verify.js';
import { filterEntries } from './entries.js';
import { loadHistory } from './history.js';

let story: AuditStory;

beforeAll(async () => {
  story = await auditStory();
});
afterAll(async () => {
  await story.repo.remove();
});

describe('history', () => {
  it('classifies every change and reads gate results from the trailers', async () => {
    const { entries } = await loadHistory(story.repo.dir);
    const rows = entries
      .filter((e) => e.commit !== story.commits.initial)
      .map((e) => `${e.env} ${e.app} ${e.kind} ${e.fromVersion ?? '-'}→${e.toVersion ?? '-'} gate=${e.gate}`);
    expect(rows).toEqual([
      'dev api hand edit 1.0.0→1.1.0 gate=—',
      'staging api promote 1.0.0→1.1.0 gate=pass',
      'prod api promote 1.0.0→1.1.0 gate=pass',
      'prod api rollback 1.1.0→1.0.0 gate=pass',
      'prod api config change -→- gate=—',
      'prod worker hand edit 1.0.0→1.2.9 gate=—',
      'dev worker hand edit 1.0.0→1.3.0 gate=—',
      'prod worker override 1.2.9→1.3.0 gate=pass',
      'staging worker hand edit 1.0.0→1.3.0 gate=—',
    ]);
    // The first commit creates the files: their releases are hand edits, the rest settings.
    expect(
      entries.filter((e) => e.commit === story.commits.initial).map((e) => `${e.env}/${e.app}/${e.kind}`),
    ).toEqual([
      'dev/api/hand edit',
      'dev/worker/hand edit',
      'dev/*/config change',
      'prod/api/hand edit',
      'prod/worker/hand edit',
      'prod/*/config change',
      'staging/api/hand edit',
      'staging/worker/hand edit',
      'staging/*/config change',
    ]);
    const rollbackRow = entries.find((e) => e.kind === 'rollback')!;
    expect(rollbackRow).toMatchObject({
      author: 'Release Bot',
      reason: 'p99 latency, payments timing out',
      ticket: 'INC-31',
      fromImage: image('api', 2),
      toImage: image('api', 1),
      time: hour(31).toISOString(),
    });
    expect(rollbackRow.gateReport).toMatch(/^sha256:[0-9a-f]{64}$/);
    const override = entries.find((e) => e.kind === 'override')!;
    // Asked for lineage and soak; only lineage was violated (soak is not measured without lineage), so only it is recorded.
    expect(override.overrides).toEqual(['lineage']);
    expect(entries.find((e) => e.commit === story.commits.config)!.summary).toBe('apps.api.replicas');
  });

  it('filters by environment, app and time', async () => {
    const { entries } = await loadHistory(story.repo.dir);
    const prodApi = filterEntries(entries, { env: ['prod'], app: ['api'], since: hour(1), until: hour(32) });
    // `*` rows (settings of the whole environment) belong to every app's view.
    expect(prodApi.map((e) => `${e.kind}@${e.time}`)).toEqual([
      `promote@${hour(30).toISOString()}`,
      `rollback@${hour(31).toISOString()}`,
      `config change@${hour(32).toISOString()}`,
    ]);
    expect(filterEntries(entries, { since: hour(36) }).map((e) => e.commit)).toEqual([
      story.commits.validHandEdit,
    ]);
  });

  it('prints a table and RFC 4180 CSV', async () => {
    const { entries } = await loadHistory(story.repo.dir);
    const rows = filterEntries(entries, { env: ['prod'], app: ['worker'] })
      .filter((e) => e.app === 'worker')
      .slice(1);
    const table = formatTable(rows).split('\n');
    expect(table[0]).toBe(
      'TIME (UTC)        ENV   APP     KIND       CHANGE         DIGEST               COMMIT        AUTHOR       GATE',
    );
    expect(table[1]).toBe(
      `2026-11-03 18:00  prod  worker  hand edit  1.0.0 → 1.2.9  ${image('worker', 7).split('@')[1]!.slice(0, 19)}  ${story.commits.handEdit!.slice(0, 12)}  Hasty Harry  —`,
    );
    expect(table[2]).toMatch(
      /^2026-11-03 20:00 {2}prod {2}worker {2}override {3}1\.2\.9 → 1\.3\.0 {2}sha256:[0-9a-f]{12} {2}[0-9a-f]{12} {2}Release Bot {2}pass$/,
    );
    const csv = formatCsv(rows).split('\r\n');
    expect(csv[0]).toBe(
      'time,env,app,kind,fromVersion,toVersion,fromImage,toImage,commit,author,gate,gateReport,overrides,reason,ticket,summary,subject',
    );
    expect(csv[2]).toContain(',lineage,"settlement bug, fix verified in dev",PAY-77,');
    expect(csv[1]).toContain(',"fix(prod): worker 1.2.9, straight to prod"');
  });
});

describe('history --verify', () => {
  it('reports the hand edit that bypassed lineage and accepts the approved override', async () => {
    const { history, violations } = await auditHistory(story.repo.dir);
    const { commits } = history;
    expect(violations.map((v) => [v.commit, v.env, v.app, v.rule, v.overridden, v.approvedBy])).toEqual([
      [story.commits.handEdit, 'prod', 'worker', 'lineage', false, undefined],
      [story.commits.override, 'prod', 'worker', 'lineage', true, 'ana@payday.example'],
    ]);
    expect(violations[0]!.message).toBe(
      `prod promotes from staging, and staging never ran worker ${image('worker', 7)}`,
    );
    const text = formatViolations(violations, commits.length);
    expect(text.trim().split('\n').at(-1)).toBe(
      `✗ ${commits.length} environment commit(s) checked: 2 rule violation(s), 1 overridden, 1 without an approved override`,
    );
  });

  it('checks only a PR range while using all history for lineage', async () => {
    const { commits, timeline } = await loadHistory(story.repo.dir);
    // The staging hand edit is a valid promotion: dev ran worker 1.3.0 for 2h, staging soaks 2h.
    expect(verifyHistory(commits, timeline, { only: new Set([story.commits.validHandEdit!]) })).toEqual([]);
    expect(verifyHistory(commits, timeline, { only: new Set([story.commits.handEdit!]) })).toHaveLength(1);
  });
});
