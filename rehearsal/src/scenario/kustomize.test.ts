import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../model.js';
import { renderGoTemplate } from './go-template.js';
import { applyJsonPatch, applyKustomize } from './kustomize.js';

const deployment: K8sObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'api', image: 'ghcr.io/payday/api@sha256:abc' },
          { name: 'side', image: 'busybox:1' },
        ],
      },
    },
  },
};
const images = (o: K8sObject) =>
  (o.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map(
    (c) => c.image,
  );

describe('Kustomize overrides of an Application source', () => {
  it('sets a new tag (dropping the digest), a new name, or a digest, only on matching images', () => {
    expect(images(applyKustomize([deployment], { images: ['ghcr.io/payday/api:pr-1'] })[0]!)).toEqual([
      'ghcr.io/payday/api:pr-1',
      'busybox:1',
    ]);
    expect(images(applyKustomize([deployment], { images: ['busybox=mirror/busybox:2'] })[0]!)).toEqual([
      'ghcr.io/payday/api@sha256:abc',
      'mirror/busybox:2',
    ]);
    expect(images(applyKustomize([deployment], { images: ['busybox@sha256:def'] })[0]!)).toEqual([
      'ghcr.io/payday/api@sha256:abc',
      'busybox@sha256:def',
    ]);
  });

  it('applies JSON 6902 patches to their target and fails closed on a path that does not exist or another option', () => {
    const patched = applyKustomize([deployment], {
      patches: [
        {
          target: { kind: 'Deployment', name: 'api' },
          patch: '[{"op":"replace","path":"/metadata/name","value":"api2"}]',
        },
      ],
    });
    expect(patched[0]!.metadata.name).toBe('api2');
    expect(() => applyJsonPatch(deployment, [{ op: 'replace', path: '/spec/nope/x', value: 1 }])).toThrow(
      'patch path /spec/nope/x does not exist',
    );
    expect(() => applyJsonPatch(deployment, [{ op: 'move', path: '/metadata/name' }])).toThrow(
      'patch op move is not evaluated',
    );
    expect(() => applyKustomize([deployment], { namePrefix: 'x-' })).toThrow(
      'source.kustomize.namePrefix is not evaluated',
    );
  });
});

describe('Go templates with missingkey=error', () => {
  it('renders field paths and refuses anything else', () => {
    expect(
      renderGoTemplate('pr-{{.number}}-{{ .head_short_sha_7 }}', { number: 7, head_short_sha_7: 'abcdef0' }),
    ).toBe('pr-7-abcdef0');
    expect(() => renderGoTemplate('{{.path.x}}', { path: {} })).toThrow(
      'map has no entry for key "x" in {{.path.x}}',
    );
    expect(() => renderGoTemplate('{{ .a | upper }}', { a: 'x' })).toThrow(
      'unsupported template action {{.a | upper}} in "{{ .a | upper }}"',
    );
  });
});
