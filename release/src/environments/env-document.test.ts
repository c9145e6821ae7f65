import { describe, expect, it } from 'vitest';
import {
  addHold,
  keepOriginalSpacing,
  liftHolds,
  parseEnvDocument,
  releaseNode,
  setRelease,
  stringify,
} from './env-document.js';

const D = (c: string) => `sha256:${c.repeat(64)}`;
const STAGING = `# staging\npromotesFrom: dev\nrelease:\n  api:\n    version: 1.5.0   # canary build\n    image: ghcr.io/payday/api@${D('b')}\n    config: { FLAG: "on" }\n`;
const PROD = `# Production. Edit with care.
promotesFrom: staging
promotion:
  soak: 24h                    # one business day
analysis:
  noData: fail                 # prod must see traffic
release:
  # the API, promoted from staging
  api:
    version: 1.4.2
    image: ghcr.io/payday/api@${D('a')}
  worker: { version: 1.1.0, image: "ghcr.io/payday/worker@${D('c')}" }
apps:
  api: { replicas: 3 }         # three zones
`;

describe('environment document edits', () => {
  it('replaces one release block and leaves every other byte alone', () => {
    const prod = parseEnvDocument(PROD, 'prod.yaml');
    setRelease(prod, 'api', releaseNode(parseEnvDocument(STAGING, 'staging.yaml'), 'api')!);
    expect(stringify(prod, PROD)).toBe(
      PROD.replace(
        `    version: 1.4.2\n    image: ghcr.io/payday/api@${D('a')}\n`,
        `    version: 1.5.0 # canary build\n    image: ghcr.io/payday/api@${D('b')}\n    config: { FLAG: "on" }\n`,
      ),
    );
  });

  it('adds a hold before release: and lifts it again', () => {
    const prod = parseEnvDocument(PROD, 'prod.yaml');
    addHold(prod, {
      app: 'api',
      image: `ghcr.io/payday/api@${D('a')}`,
      reason: 'p99 latency',
      since: 'abc123',
    });
    const held = stringify(prod, PROD);
    expect(held).toContain(
      `  noData: fail                 # prod must see traffic\nholds:\n  # written by \`npm run rollback\`; lifted by the next promotion of the app\n  - { app: api, image: ghcr.io/payday/api@${D('a')}, reason: p99 latency, since: abc123 }\nrelease:\n`,
    );
    const again = parseEnvDocument(held, 'prod.yaml');
    expect(liftHolds(again, 'worker')).toEqual([]);
    expect(liftHolds(again, 'api')).toEqual([`ghcr.io/payday/api@${D('a')}`]);
    expect(stringify(again, held)).toContain(
      '  noData: fail                 # prod must see traffic\nholds: []\nrelease:\n',
    );
  });

  it('keeps the original spacing only where the text is otherwise the same', () => {
    expect(keepOriginalSpacing('a: 1      # x\nb: 2\n', 'a: 1 # x\nb: 3\n')).toBe('a: 1      # x\nb: 3\n');
    expect(keepOriginalSpacing('a: 1      # x\n', 'a: 2 # x\n')).toBe('a: 2 # x\n');
  });

  it('names the position of a YAML error', () => {
    expect(() => parseEnvDocument('release: [\n', 'environments/prod.yaml')).toThrow(
      /^environments\/prod\.yaml:2:1: /,
    );
    expect(() => parseEnvDocument('- a\n', 'environments/prod.yaml')).toThrow(
      'environments/prod.yaml: the file must be a YAML mapping',
    );
  });
});
