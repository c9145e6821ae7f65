/**
 * The HTML report in real Chromium (Debian's, driven by playwright-core): the matrix a person
 * sees shows what runs where, the rollback hold and how far prod is behind. The browser comes from
 * the frontend's shared launcher, so every browser test runs Chromium the same way.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, launchChromium } from '@payday/frontend/testing/chromium';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditStory, auditStory } from '../testing/audit-story.js';
import { hour } from '../testing/repo.js';
import { auditHistory } from '../verify/audit.js';
import { writeReport } from './report-html.js';

// Runs inside the page (the repository's TypeScript config has no DOM library).
declare const getComputedStyle: (el: unknown) => { backgroundColor: string };

let story: AuditStory;
let browser: Browser;
let out: string;

beforeAll(async () => {
  story = await auditStory();
  out = await mkdtemp(join(tmpdir(), 'payday-report-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await story?.repo.remove();
  await rm(out, { recursive: true, force: true });
});

describe('history --html in Chromium', () => {
  it('shows the right versions in the environment × app matrix, the metrics and the timeline', async () => {
    // The report shows the audit's own answer (the same call history --verify makes).
    const audit = await auditHistory(story.repo.dir, { entries: true });
    const file = await writeReport(out, audit.history, { now: hour(40), violations: audit.violations });
    const { page } = browser;
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(pathToFileURL(file).href);
    expect(await page.title()).toBe('Payday release report');
    const version = (env: string, app: string) =>
      page.locator(`#matrix td[data-env="${env}"][data-app="${app}"] .version`).innerText();
    expect(await version('dev', 'api')).toBe('1.1.0');
    expect(await version('staging', 'api')).toBe('1.1.0');
    expect(await version('prod', 'api')).toBe('1.0.0');
    expect(await version('prod', 'worker')).toBe('1.3.0');
    expect(await page.locator('#matrix tbody th').allInnerTexts()).toEqual(['dev', 'staging', 'prod']);
    const prodApi = page.locator('#matrix td[data-env="prod"][data-app="api"]');
    expect(await prodApi.locator('.state').innerText()).toBe(
      'behind staging by 1 release (staging runs 1.1.0, waiting 36h)',
    );
    expect(await prodApi.locator('.hold').innerText()).toMatch(
      /^hold: sha256:[0-9a-f]{12} — p99 latency, payments timing out$/,
    );
    // The rows are visibly coloured by status (the CSS applied, not just the markup present).
    expect(await prodApi.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(255, 248, 197)');
    expect(await page.locator('#metrics tr[data-env="prod"] td').allInnerTexts()).toEqual([
      '4',
      '2.67',
      '15h',
      '1 (25%)',
      '1h',
    ]);
    expect(await page.locator('#timeline li').first().getAttribute('data-kind')).toBe('hand edit');
    expect(await page.locator('#timeline li[data-kind="rollback"]').count()).toBe(1);
    expect(await page.locator('#verify-summary').innerText()).toBe(
      '1 violation(s) without an approved override, 1 overridden.',
    );
    expect(errors).toEqual([]);
  });
});
