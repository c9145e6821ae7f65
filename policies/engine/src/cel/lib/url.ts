import type { Environment } from '@marcbachmann/cel-js';

/**
 * Kubernetes CEL URL library (Go net/url ParseRequestURI semantics: absolute URI or absolute path).
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-url-library
 */
export class CelUrl {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: Record<string, string[]>,
  ) {}

  static parse(text: string): CelUrl {
    if (text.startsWith('/'))
      return new CelUrl('', '', text.split('?')[0]!, parseQuery(text.split('?')[1] ?? ''));
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      throw new Error(`URL parse error during conversion from string: ${text}`);
    }
    const hostStart = text.indexOf('//');
    const host =
      hostStart < 0
        ? ''
        : text
            .slice(hostStart + 2)
            .split(/[/?#]/)[0]!
            .replace(/^.*@/, '');
    return new CelUrl(
      u.protocol.replace(/:$/, ''),
      host,
      u.pathname === '/' && !/\/\/[^/]*\//.test(text) ? '' : u.pathname,
      parseQuery(u.search.slice(1)),
    );
  }

  hostname(): string {
    if (this.host.startsWith('[')) return this.host.slice(1, this.host.indexOf(']'));
    return this.host.replace(/:\d*$/, '');
  }

  port(): string {
    const m = /:(\d*)$/.exec(this.host.startsWith('[') ? this.host.slice(this.host.indexOf(']')) : this.host);
    return m?.[1] ?? '';
  }
}

function parseQuery(q: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of new URLSearchParams(q)) {
    out[k] = [...(out[k] ?? []), v];
  }
  return out;
}

export function registerUrl(env: Environment): void {
  env
    .registerType('URL', CelUrl)
    .registerFunction('url(string): URL', (s: string) => CelUrl.parse(s))
    .registerFunction('isURL(string): bool', (s: string) => {
      try {
        CelUrl.parse(s);
        return true;
      } catch {
        return false;
      }
    })
    .registerFunction('URL.getScheme(): string', (u: CelUrl) => u.scheme)
    .registerFunction('URL.getHost(): string', (u: CelUrl) => u.host)
    .registerFunction('URL.getHostname(): string', (u: CelUrl) => u.hostname())
    .registerFunction('URL.getPort(): string', (u: CelUrl) => u.port())
    .registerFunction('URL.getEscapedPath(): string', (u: CelUrl) => u.path)
    .registerFunction('URL.getQuery(): map<string, list<string>>', (u: CelUrl) => u.query);
}
