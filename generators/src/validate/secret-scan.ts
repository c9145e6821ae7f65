/**
 * Finds secret-looking values in rendered objects. The rendered tree must hold references to
 * secrets (Secret names, remote keys, `$slack-token` placeholders), never values (
 * docs/design/architecture.md §Conventions; docs/design/argo.md §Secrets). Runs over gitops/ in
 * tests/gitops-secrets.test.ts.
 */

export interface SecretFinding {
  /** JSON path of the value (`spec.template.spec.containers[0].env[1].value`). */
  path: string;
  reason: string;
}

const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'PEM private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'AWS access key id'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b/, 'GitHub token'],
  [/\bxox[abposr]-[A-Za-z0-9-]{10,}/, 'Slack token'],
  [/\bsk_(live|test)_[A-Za-z0-9]{16,}/, 'API secret key'],
  [/\bwhsec_[A-Za-z0-9+/=]{16,}/, 'webhook signing secret'],
  [/postgres(ql)?:\/\/[^:\s/]+:[^@\s]+@/, 'database URL with a password'],
];

/** Keys whose value must be a reference, never a literal. */
const SENSITIVE_KEY = /(password|passwd|secret|token|apikey|api_key|private_?key|credentials?)$/i;
/** Literal values that are clearly references or templates, not secrets. */
const REFERENCE = /^(\$[\w-]+|\{\{.*\}\}|)$/;

export function scanForSecrets(value: unknown, path = ''): SecretFinding[] {
  const out: SecretFinding[] = [];
  const visit = (v: unknown, p: string, key: string) => {
    if (typeof v === 'string') {
      for (const [re, reason] of PATTERNS) if (re.test(v)) out.push({ path: p, reason });
      if (SENSITIVE_KEY.test(key) && !REFERENCE.test(v.trim()) && !v.includes('\n')) {
        out.push({ path: p, reason: `literal value under "${key}"` });
      }
    } else if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) visit(item, `${p}[${i}]`, key);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      // A Kubernetes Secret with data is a secret in git, whatever its values look like.
      if (o.kind === 'Secret' && (o.data || o.stringData))
        out.push({ path: p || '.', reason: 'Secret object with data' });
      // `env: [{ name: DB_PASSWORD, value: … }]`: the name says what the value is.
      if (
        typeof o.name === 'string' &&
        typeof o.value === 'string' &&
        SENSITIVE_KEY.test(o.name) &&
        !REFERENCE.test(o.value)
      ) {
        out.push({ path: `${p}.value`, reason: `literal value of ${o.name}` });
      }
      for (const [k, child] of Object.entries(o)) visit(child, p ? `${p}.${k}` : k, k);
    }
  };
  visit(value, path, '');
  return out;
}
