/**
 * `history --html DIR`: one static, self-contained page (no scripts, no network) an auditor can
 * open from disk or a CI artifact: the environment × app matrix of what runs where and how far
 * behind its upstream, delivery metrics per environment, rule violations, and the timeline.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CostSummary } from '@payday/generators';
import { formatDuration } from '@payday/generators/environments';
import { shortDigest } from '../environments/snapshot.js';
import { type EntryFilter, filterEntries, type HistoryEntry } from '../history/entries.js';
import type { History } from '../history/history.js';
import { deliveryMetrics } from '../history/metrics.js';
import { type Violation, verifyHistory } from '../verify/verify.js';
import { buildMatrix, type MatrixCell } from './matrix.js';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function when(ms: number | undefined): string {
  return ms === undefined ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function cellHtml(c: MatrixCell): string {
  const state =
    c.status === 'source'
      ? 'source environment'
      : c.status === 'current'
        ? `up to date with ${c.upstream}`
        : c.status === 'baseline'
          ? `in place since environments/${c.env}.yaml was created (no promotion to check)`
          : c.status === 'diverged'
            ? `runs a release ${c.upstream} never ran${c.lineage === 'overridden' ? ' (approved override)' : ' (lineage violation)'}`
            : `behind ${c.upstream} by ${c.behindBy} release${c.behindBy === 1 ? '' : 's'} (${c.upstream} runs ${c.upstreamVersion}${c.waitingMs !== undefined ? `, waiting ${formatDuration(c.waitingMs)}` : ''})`;
  const holds = c.holds
    .map((h) => `<div class="hold">hold: ${esc(shortDigest(h.image))} — ${esc(h.reason)}</div>`)
    .join('');
  return `<td class="cell ${c.status}" data-env="${esc(c.env)}" data-app="${esc(c.app)}" data-status="${c.status}" data-behind="${c.behindBy}">
<div class="version">${esc(c.version ?? '—')}</div><code title="${esc(c.image)}">${esc(shortDigest(c.image))}</code>
<div class="state">${esc(state)}</div><div class="since">since ${esc(when(c.since))}${c.commit ? ` · ${esc(c.commit.slice(0, 12))}` : ''}</div>${holds}</td>`;
}

function entryHtml(e: HistoryEntry): string {
  const change =
    e.kind === 'config change'
      ? esc(e.summary)
      : `${esc(e.fromVersion ?? 'none')} → ${esc(e.toVersion ?? 'removed')} <code>${esc(shortDigest(e.toImage))}</code>`;
  const why = [
    e.reason ? `reason: ${esc(e.reason)}` : '',
    e.ticket ? `ticket: ${esc(e.ticket)}` : '',
    e.overrides.length ? `override: ${esc(e.overrides.join(', '))}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  return `<li class="entry ${e.kind.replace(' ', '-')}" data-kind="${esc(e.kind)}"><time datetime="${esc(e.time)}">${esc(e.time.slice(0, 16).replace('T', ' '))}</time>
<span class="where">${esc(e.env)} / ${esc(e.app)}</span> <span class="kind">${esc(e.kind)}</span> ${change}
<span class="meta">${esc(e.commit.slice(0, 12))} · ${esc(e.author)} · gate ${esc(e.gate)}</span>${why ? `<div class="why">${why}</div>` : ''}<div class="subject">${esc(e.subject)}</div></li>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse}th,td{border:1px solid #d0d7de;padding:.4rem .6rem;vertical-align:top;text-align:left}th{background:#f6f8fa}
.cell .version{font-size:1.15rem;font-weight:600}.cell .state,.cell .since{color:#57606a;font-size:.85rem}.current{background:#dafbe1}.behind{background:#fff8c5}
.diverged{background:#ffebe9}.source,.baseline{background:#ddf4ff}.hold{color:#cf222e;font-size:.85rem}code{font-size:.8rem}ol{padding-left:1.2rem}
.entry{margin:.4rem 0}.kind{border-radius:1rem;padding:0 .5rem;background:#eaeef2;font-size:.8rem}.rollback .kind{background:#ffebe9}.override .kind{background:#fff8c5}
.hand-edit .kind{background:#fbefff}.promote .kind{background:#dafbe1}.meta,.subject,.why{color:#57606a;font-size:.85rem}.violation{color:#cf222e}`;

export interface ReportOptions {
  now: Date;
  filter?: EntryFilter;
  /**
   * The audit's answer (verify/audit.ts), so the report and `history --verify` say the same thing.
   * Without it the report checks the rules itself, and no override counts as approved.
   */
  violations?: Violation[];
  /**
   * Requested CPU/memory per environment at min and max replicas
   * (docs/design/rendering.md §Gate and summary; `costsOfRepository` of @payday/generators).
   */
  costs?: CostSummary[];
}

export function renderReport(history: History, options: ReportOptions): string {
  const now = options.now.getTime();
  const violations =
    options.violations ??
    verifyHistory(history.commits, history.timeline).map((v) => ({ ...v, overridden: false }));
  const matrix = buildMatrix(history, now, violations);
  const metrics = deliveryMetrics(history, matrix.envs, {
    since: options.filter?.since,
    until: options.filter?.until,
  });
  const rows = filterEntries(history.entries, options.filter ?? {}).reverse();
  const head = history.commits.at(-1)?.sha;
  const matrixRows = matrix.envs
    .map(
      (env) =>
        `<tr><th scope="row">${esc(env)}</th>${matrix.apps.map((app) => cellHtml(matrix.cells.find((c) => c.env === env && c.app === app)!)).join('')}</tr>`,
    )
    .join('\n');
  const metricRows = metrics
    .map(
      (m) =>
        `<tr data-env="${esc(m.env)}"><th scope="row">${esc(m.env)}</th><td>${m.deployments}</td><td>${m.perDay.toFixed(2)}</td><td>${m.leadTimeMs === undefined ? '—' : formatDuration(m.leadTimeMs)}</td><td>${m.rollbacks} (${(m.rollbackRate * 100).toFixed(0)}%)</td><td>${m.timeToRestoreMs === undefined ? '—' : formatDuration(m.timeToRestoreMs)}</td></tr>`,
    )
    .join('\n');
  const violationItems = violations
    .map(
      (v) =>
        `<li class="${v.overridden ? 'overridden' : 'violation'}">${esc(v.commit.slice(0, 12))} ${v.env ? `${esc(v.env)}/${esc(v.app)}` : 'commit'} <b>${esc(v.rule)}</b>: ${esc(v.message)}${v.overridden ? ` — overridden: ${esc(v.reason)}; approved by ${esc(v.approvedBy)}` : v.approval ? ` — ${esc(v.approval)}` : ''}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Payday release report</title><style>${CSS}</style></head>
<body>
<h1>Payday release report</h1>
<p>Generated ${esc(options.now.toISOString())} from git history of <code>environments/</code> up to ${esc(head?.slice(0, 12) ?? '(no commits)')} · ${history.commits.length} commits.</p>
<h2>What runs where</h2>
<table id="matrix"><thead><tr><th>environment</th>${matrix.apps.map((a) => `<th scope="col">${esc(a)}</th>`).join('')}</tr></thead>
<tbody>
${matrixRows}
</tbody></table>
<h2>Delivery metrics</h2>
<table id="metrics"><thead><tr><th>environment</th><th>deployments</th><th>per day</th><th>lead time (median, first seen → here)</th><th>rollbacks (rate)</th><th>time to restore (median)</th></tr></thead>
<tbody>
${metricRows}
</tbody></table>
${costSection(options.costs)}<h2>Rule check (history --verify)</h2>
<p id="verify-summary">${violations.filter((v) => !v.overridden).length} violation(s) without an approved override, ${violations.filter((v) => v.overridden).length} overridden.</p>
<ul id="violations">${violationItems}</ul>
<h2>Timeline</h2>
<ol id="timeline" reversed>
${rows.map(entryHtml).join('\n')}
</ol>
</body></html>
`;
}

/** Requested capacity per environment (cost awareness); nothing when no costs were given. */
function costSection(costs: CostSummary[] | undefined): string {
  if (!costs?.length) return '';
  const cores = (m: number) => (m / 1000).toFixed(2);
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  const rows = costs
    .map((c) => {
      const t = c.total;
      return `<tr data-env="${esc(c.env)}"><th scope="row">${esc(c.env)}</th><td>${cores(t.cpuMillicores.min)} CPU / ${gib(t.memoryBytes.min)} GiB</td><td>${cores(t.cpuMillicores.max)} CPU / ${gib(t.memoryBytes.max)} GiB</td></tr>`;
    })
    .join('\n');
  return `<h2>Requested capacity (rendered gitops/)</h2>
<table id="costs"><thead><tr><th>environment</th><th>at minimum replicas</th><th>at maximum replicas</th></tr></thead>
<tbody>
${rows}
</tbody></table>
`;
}

/** Writes DIR/index.html and returns its path. */
export async function writeReport(dir: string, history: History, options: ReportOptions): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.html');
  await writeFile(file, renderReport(history, options));
  return file;
}
