import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const gitops = (path: string) =>
  parse(readFileSync(fileURLToPath(new URL(`../../../../gitops/${path}`, import.meta.url)), 'utf8'));

describe('the environment ApplicationSets', () => {
  it.each(['dev', 'staging', 'prod'])('%s: RollingSync by folder, namespace first, apps last', (env) => {
    const set = gitops(`argocd/applicationset-payday-${env}.yaml`);
    expect(set.spec.template.metadata.labels['payday.dev/folder']).toBe('{{.path.basename}}');
    expect(set.spec.strategy).toEqual({
      type: 'RollingSync',
      rollingSync: {
        steps: [
          { matchExpressions: [{ key: 'payday.dev/folder', operator: 'In', values: ['namespace'] }] },
          { matchExpressions: [{ key: 'payday.dev/folder', operator: 'In', values: ['database'] }] },
          { matchExpressions: [{ key: 'payday.dev/folder', operator: 'In', values: ['observability'] }] },
          {
            matchExpressions: [
              {
                key: 'payday.dev/folder',
                operator: 'NotIn',
                values: ['namespace', 'database', 'observability'],
              },
            ],
          },
        ],
      },
    });
  });

  it('progressive syncs are enabled in argocd-cmd-params-cm', () => {
    const cm = gitops('argocd/configmap-argocd-cmd-params-cm.yaml');
    expect(cm.metadata).toMatchObject({ name: 'argocd-cmd-params-cm', namespace: 'argocd' });
    expect(cm.data).toEqual({ 'applicationsetcontroller.enable.progressive.syncs': 'true' });
  });
});
