import type { Environment } from '@marcbachmann/cel-js';
import { registerNamespace } from './namespace.js';

const SA_PREFIX = 'system:serviceaccount:';

/** The `user.ServiceAccount` value: cel-go native type, so its fields keep their Go names. */
export class ServiceAccount {
  constructor(
    readonly Name: string,
    readonly Namespace: string,
  ) {}
}

/**
 * Kyverno's `user` library (kyverno/sdk extensions/cel/libs/user/{lib,impl}.go):
 * `parseServiceAccount(username)` (and `user.parseServiceAccount` from library version 1.18 on)
 * splits `system:serviceaccount:<ns>:<name>`; any other user gives empty fields. The type is
 * registered with `ext.NativeTypes` without struct tags, so fields are `Name` and `Namespace`.
 */
export function registerUser(env: Environment): void {
  registerNamespace(env, 'user', 'UserNamespace');
  const parse = (username: string) => {
    if (!username.startsWith(SA_PREFIX)) return new ServiceAccount('', '');
    const rest = username.slice(SA_PREFIX.length);
    const sep = rest.indexOf(':');
    return sep < 0 ? new ServiceAccount('', '') : new ServiceAccount(rest.slice(sep + 1), rest.slice(0, sep));
  };
  env
    .registerType('ServiceAccount', { ctor: ServiceAccount, fields: { Name: 'string', Namespace: 'string' } })
    .registerFunction('parseServiceAccount(string): ServiceAccount', parse)
    .registerFunction('UserNamespace.parseServiceAccount(string): ServiceAccount', (_: unknown, u: string) =>
      parse(u),
    );
}
