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

export function formatJson(rows: HistoryEntry[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
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
