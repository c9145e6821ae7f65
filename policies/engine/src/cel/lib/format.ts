import { type Environment, Optional } from '@marcbachmann/cel-js';
import { registerNamespace } from './namespace.js';

/**
 * Kubernetes CEL format library: `format.dns1123Label().validate(s)` returns `optional.none()`
 * when valid, else `optional.of([errors…])`. Messages follow k8s.io/apimachinery validation.
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-format-library
 */
export class Format {
  constructor(
    readonly name: string,
    readonly check: (s: string) => string[],
  ) {}
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const limit = (max: number, re: RegExp, what: string) => (s: string) => {
  const errs: string[] = [];
  if (s.length > max) errs.push(`must be no more than ${max} characters`);
  if (!re.test(s)) errs.push(`a ${what} must match the regex ${re.source}`);
  return errs;
};

const FORMATS: Record<string, (s: string) => string[]> = {
  dns1123Label: limit(63, DNS1123_LABEL, 'lowercase RFC 1123 label'),
  dns1123Subdomain: limit(253, DNS1123_SUBDOMAIN, 'lowercase RFC 1123 subdomain'),
  dns1035Label: limit(63, DNS1035_LABEL, 'DNS-1035 label'),
  labelValue: limit(63, LABEL_VALUE, 'valid label'),
  qualifiedName: (s) => {
    const parts = s.split('/');
    const name = parts.at(-1)!;
    const errs = limit(63, QUALIFIED_NAME_PART, "qualified name's name part")(name);
    if (parts.length > 2) errs.push('a qualified name must consist of a name part and an optional prefix');
    if (parts.length === 2) errs.push(...FORMATS.dns1123Subdomain!(parts[0]!).map((e) => `prefix part ${e}`));
    return errs;
  },
  uri: (s) => (URL.canParse(s) || s.startsWith('/') ? [] : ['invalid URI']),
  uuid: (s) => (UUID.test(s) ? [] : ['invalid UUID']),
  byte: (s) => (/^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0 ? [] : ['invalid base64']),
  date: (s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)) ? [] : ['invalid date']),
  datetime: (s) =>
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s))
      ? []
      : ['invalid datetime'],
};

export function registerFormat(env: Environment): void {
  registerNamespace(env, 'format', 'FormatNamespace');
  env.registerType('Format', Format);
  for (const [name, check] of Object.entries(FORMATS)) {
    const format = new Format(name, check);
    env.registerFunction(`FormatNamespace.${name}(): Format`, () => format);
  }
  env
    .registerFunction('FormatNamespace.named(string): optional', (_: unknown, name: string) =>
      FORMATS[name] ? Optional.of(new Format(name, FORMATS[name])) : Optional.none(),
    )
    .registerFunction('Format.validate(string): optional', (f: Format, s: string) => {
      const errs = f.check(s);
      return errs.length ? Optional.of(errs) : Optional.none();
    });
}
