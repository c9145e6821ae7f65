import { describe, expect, it } from 'vitest';
import { scanForSecrets } from './secret-scan.js';

describe('secret scan', () => {
  it('passes references: Secret names, remote keys, notification placeholders, templates', () => {
    expect(
      scanForSecrets({
        env: [{ name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'payday-db-app', key: 'uri' } } }],
        secretTargetRef: [{ parameter: 'password', name: 'payday-db-keda-reader', key: 'password' }],
        data: { 'service.slack': 'token: $slack-token\n', password: '{{ .password }}' },
        remoteRef: { key: 'payday/prod/worker', property: 'webhook-signing-secret' },
      }),
    ).toEqual([]);
  });

  it('flags values that look like secrets, with their path', () => {
    expect(
      scanForSecrets({
        spec: {
          env: [
            { name: 'DB_PASSWORD', value: 'hunter2hunter2' },
            { name: 'DATABASE_URL', value: 'postgres://app:s3cret@db:5432/payday' },
          ],
          token: 'abc123',
          key: '-----BEGIN RSA PRIVATE KEY-----\nMIIE…',
          aws: 'AKIAABCDEFGHIJKLMNOP',
        },
      }),
    ).toEqual([
      { path: 'spec.env[0].value', reason: 'literal value of DB_PASSWORD' },
      { path: 'spec.env[1].value', reason: 'database URL with a password' },
      { path: 'spec.token', reason: 'literal value under "token"' },
      { path: 'spec.key', reason: 'PEM private key' },
      { path: 'spec.aws', reason: 'AWS access key id' },
    ]);
  });

  it('flags any Secret object that carries data', () => {
    expect(
      scanForSecrets({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'Yg==' } }),
    ).toEqual([{ path: '.', reason: 'Secret object with data' }]);
  });
});
