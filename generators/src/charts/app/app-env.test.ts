import { describe, expect, it } from 'vitest';
import { defaultOpsSettings } from '../../environments/sections/operations.js';
import { sampleContext } from '../../testing/context.js';
import { appEnv } from './app-env.js';

const names = (preview: boolean) =>
  appEnv(
    sampleContext({ preview, namespace: preview ? undefined : 'payday-prod' }),
    defaultOpsSettings(),
    'api',
  ).map((v) => v.name);

describe('appEnv telemetry', () => {
  it('an environment exports traces to the collector', () => {
    expect(names(false)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
  });
  it('a preview exports none: its NetworkPolicies keep it inside its namespace', () => {
    expect(names(true).filter((n) => n.startsWith('OTEL_'))).toEqual([]);
  });
});
