/**
 * Renders audit rows for people (an aligned table), for programs (JSON) and for spreadsheets
 * (CSV per RFC 4180: CRLF line ends, fields with comma, quote or newline quoted, quotes doubled).
 */

import { shortDigest } from '../environments/snapshot.js';
import type { HistoryEntry } from '../history/entries.js';
import type { Violation } from '../verify/verify.js';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** Long setting lists are cut in the table (JSON and CSV carry them whole). */
function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function change(e: HistoryEntry): string {
  if (e.kind === 'config change') return clip(e.summary);
  const from = e.fromVersion ?? 'none';
  const to = e.toVersion ?? 'removed';
  return from === to ? `${to} (${e.summary})` : `${from} → ${to}`;
}

const COLUMNS: [string, (e: HistoryEntry) => string][] = [
  ['TIME (UTC)', (e) => e.time.slice(0, 16).replace('T', ' ')],
  ['ENV', (e) => e.env],
  ['APP', (e) => e.app],
  ['KIND', (e) => e.kind],
  ['CHANGE', change],
  ['DIGEST', (e) => (e.kind === 'config change' ? '' : shortDigest(e.toImage))],
  ['COMMIT', (e) => e.commit.slice(0, 12)],
  ['AUTHOR', (e) => e.author],
  ['GATE', (e) => e.gate],
];

export function formatTable(rows: HistoryEntry[]): string {
  if (rows.length === 0) return 'no environment changes match\n';
  const cells = [COLUMNS.map(([h]) => h), ...rows.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((c) => [...c[i]!].length)));
  return `${cells
    .map((c) =>
      c
        .map((v, i) => v.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

// Rows per JSON.stringify call: about 400 KB of text each.
const JSON_CHUNK = 500;

/**
 * `JSON.stringify(rows, null, 2)` and a newline, built a chunk of rows at a time: one call over
 * 30,000 rows keeps its whole text (24 MB, in 16 KB pieces) in the young generation until the
 * end, and every scavenge on the way copies it; a chunk's text is flattened at once into one
 * large string (allocated outside the copied space) and its pieces die young. Same bytes: each
 * chunk's text without its opening `[\n` and closing `\n]`, joined with `,\n`.
 */
export function formatJson(rows: HistoryEntry[]): string {
  if (rows.length <= JSON_CHUNK) return `${JSON.stringify(rows, null, 2)}\n`;
  let out = '[\n';
  for (let i = 0; i < rows.length; i += JSON_CHUNK) {
    const text = JSON.stringify(rows.slice(i, i + JSON_CHUNK), null, 2);
    out += (i === 0 ? '' : ',\n') + text.slice(2, -2);
  }
  return `${out}\n]\n`;
}

const CSV_FIELDS: (keyof HistoryEntry)[] = [
  'time',
  'env',
  'app',
  'kind',
  'fromVersion',
  'toVersion',
  'fromImage',
  'toImage',
  'commit',
  'author',
  'gate',
  'gateReport',
  'overrides',
  'reason',
  'ticket',
  'summary',
  'subject',
];

function csvField(v: unknown): string {
  const s = v === undefined ? '' : Array.isArray(v) ? v.join(';') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function formatCsv(rows: HistoryEntry[]): string {
  const lines = [CSV_FIELDS.join(','), ...rows.map((r) => CSV_FIELDS.map((f) => csvField(r[f])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function formatEntries(rows: HistoryEntry[], format: Format): string {
  return format === 'json' ? formatJson(rows) : format === 'csv' ? formatCsv(rows) : formatTable(rows);
}

export function formatViolations(violations: Violation[], checked: number): string {
  const open = violations.filter((v) => !v.overridden);
  const lines = violations.map((v) => {
    const where = v.env ? `${v.env}/${v.app}` : 'commit';
    const how = v.overridden
      ? ` — Reason: ${v.reason}; approved by ${v.approvedBy}`
      : v.approval
        ? ` — ${v.approval}`
        : v.env
          ? ` — record "Override: ${v.rule}" with a Reason and Ticket and a second person's approval (npm run approve), or revert it`
          : ' — cannot be overridden: revert it, or land the change again correctly';
    return (
      `${v.overridden ? '~ overridden' : '✗ violation '}  ${v.commit.slice(0, 12)}  ${v.time.slice(0, 16).replace('T', ' ')}  ${where}  ${v.rule}: ${v.message}\n` +
      `    ${v.author}: "${v.subject}"${how}`
    );
  });
  lines.push(
    `${open.length ? '✗' : '✓'} ${checked} environment commit(s) checked: ${violations.length} rule violation(s), ${violations.length - open.length} overridden, ${open.length} without an approved override`,
  );
  return `${lines.join('\n')}\n`;
}
