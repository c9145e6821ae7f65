import type { Environment } from '@marcbachmann/cel-js';
import { resourceScope } from './library-context.js';
import { registerNamespace } from './namespace.js';

/**
 * Kyverno's `http` library (kyverno/sdk extensions/cel/libs/http/lib.go): `Get(url[, headers])`,
 * `Post(url, body[, headers])`, `Client(caBundle)`, and the lower-case spellings from library
 * version 1.18 on. The engine never goes to the network: a call is answered from the test's
 * `apiCallResponses:` (the CLI's mock index, kyverno v1.19.0 pkg/cel/libs/http_mock.go, keyed
 * `METHOD:url`, then `url`); an unmocked URL is an evaluation error, so the gate fails closed.
 */
export function registerHttp(env: Environment): void {
  registerNamespace(env, 'http', 'HttpNamespace');
  const call = (method: 'GET' | 'POST', url: string) => {
    const response = resourceScope.current.httpResponse?.(method, url);
    if (response === undefined) throw new Error(`request failed: ${method} ${url} is not mocked (offline)`);
    return response;
  };
  for (const [getName, postName, clientName] of [
    ['Get', 'Post', 'Client'],
    ['get', 'post', 'client'],
  ] as const) {
    env
      .registerFunction(`HttpNamespace.${getName}(string): dyn`, (_: unknown, url: string) =>
        call('GET', url),
      )
      .registerFunction(
        `HttpNamespace.${getName}(string, map<string, string>): dyn`,
        (_: unknown, url: string) => call('GET', url),
      )
      .registerFunction(`HttpNamespace.${postName}(string, dyn): dyn`, (_: unknown, url: string) =>
        call('POST', url),
      )
      .registerFunction(
        `HttpNamespace.${postName}(string, dyn, map<string, string>): dyn`,
        (_: unknown, url: string) => call('POST', url),
      )
      // A client with its own CA bundle answers from the same mocks.
      .registerFunction(`HttpNamespace.${clientName}(string): HttpNamespace`, (h: unknown) => h);
  }
}
