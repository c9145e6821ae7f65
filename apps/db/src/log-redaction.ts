/**
 * What must never reach a log line of the API or the worker: credentials (API keys, dashboard
 * session tokens, webhook signing secrets) and the values a request or a job carried into SQL
 * (merchant metadata, descriptions, emails, endpoint rows). Three layers, wired into both pino
 * loggers (apps/api/src/telemetry/logger.ts, apps/worker/src/observability/logger.ts):
 * `LOG_REDACT` censors credential keys by name; `serializeError` keeps an error's diagnosis
 * (SQLSTATE, constraint, stack) and drops its values; `redactLine` rewrites every finished line,
 * whichever key carried it. Plain functions and data, so this package needs no pino.
 */

/** pino `redact` option: credentials under these keys become `[redacted]` before serializing. */
export const LOG_REDACT: { paths: string[]; censor: string } = {
  paths: [
    'authorization',
    'password',
    'secret',
    'token',
    '*.authorization',
    '*.password',
    '*.secret',
    '*.token',
    'headers.authorization',
  ],
  censor: '[redacted]',
};

/** Secret shapes (apps/api/src/auth/tokens.ts): a key keeps its non-secret 16-character prefix. */
const SECRET_SHAPES: [RegExp, string][] = [
  [/\b(sk_[a-z]+_[0-9a-z]{8})[0-9a-z]+/g, '$1…'],
  [/\bwhsec_[A-Za-z0-9_-]+/g, 'whsec_[redacted]'],
  [/\bdst_[0-9a-z]+/g, 'dst_[redacted]'],
];

/**
 * PostgreSQL's details that quote the row (`Failing row contains (…)`, `Key (col)=(value)`), cut
 * to the end of the text they stand in: `rest` matches that remainder, `keyChar` one character
 * of the key's column list.
 */
function quotedRowShapes(rest: string, keyChar: string): [RegExp, string][] {
  return [
    [new RegExp(`(Failing row contains )${rest}`, 'g'), '$1[redacted]'],
    [new RegExp(`(Key \\((?:${keyChar})*\\)=)${rest}`, 'g'), '$1[redacted]'],
  ];
}

/**
 * A JSON-encoded line: the secrets, drizzle's `Failed query: … \nparams: v1,v2`, and the quoted
 * rows. `(?:[^"\\]|\\.)*` is the rest of the JSON string, escapes included.
 */
const JSON_REST = String.raw`(?:[^"\\]|\\.)*`;
const LINE_SHAPES: [RegExp, string][] = [
  ...SECRET_SHAPES,
  [new RegExp(String.raw`(\\nparams: )${JSON_REST}`, 'g'), '$1[redacted]'],
  ...quotedRowShapes(JSON_REST, String.raw`[^"\\)]|\\.`),
];

/** Plain text (an error message): the quoted rows run to the end of their line. */
const TEXT_SHAPES: [RegExp, string][] = [...SECRET_SHAPES, ...quotedRowShapes('.*', '[^)]')];

/** A finished log line (pino `hooks.streamWrite`) with secrets and query values replaced. */
export function redactLine(line: string): string {
  return replaceAll(line, LINE_SHAPES);
}

function replaceAll(text: string, shapes: [RegExp, string][]): string {
  let out = text;
  for (const [pattern, replacement] of shapes) out = out.replace(pattern, replacement);
  return out;
}

/** Drizzle appends the bound values to the message (and so to the stack): cut them. */
const stripParams = (text: string) =>
  text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [redacted]');

/**
 * PostgreSQL error fields that name where it failed without quoting a value
 * (PostgreSQL 15 documentation §55.8, error message fields).
 */
const SAFE_FIELDS = ['code', 'severity', 'constraint_name', 'table_name', 'column_name', 'routine'] as const;

/**
 * The `err` serializer: type, message and stack with the query values cut, the SQLSTATE and
 * constraint of a database error, and the same for its `cause`. Not `detail` or `where`: they
 * quote the failing row, which may hold a signing secret or merchant metadata.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: e.name,
    message: stripParams(e.message),
    stack: e.stack === undefined ? undefined : stripParams(e.stack),
  };
  for (const field of SAFE_FIELDS) {
    if (typeof e[field] === 'string') out[field] = e[field];
  }
  if (e.cause !== undefined && depth < 5) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

/**
 * An error's text as it may be stored (the worker's `jobs.last_error`, kept for inspection and
 * resend): the same cuts as a log line, for plain text rather than a JSON-encoded one, so a
 * failed query's bound values and a quoted row never reach the table.
 */
export function redactText(text: string): string {
  return replaceAll(stripParams(text), TEXT_SHAPES);
}
