/**
 * A small, real pipeline for release tests: validation reads the file with the release
 * snapshot reader and rejects what it reports; rendering writes one manifest per environment
 * listing its images; the gate denies any image whose digest starts with `sha256:bad` and
 * reports every image it saw. Fast enough for dozens of test repositories; the real renderer
 * and gate run in real-pipeline.test.ts.
 */

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSnapshot } from '../environments/snapshot.js';
import type { GateOutcome, Pipeline, RenderOutput } from '../pipeline/pipeline.js';

export const smallPipeline: Pipeline = {
  async validate(_root, file, text) {
    const s = readSnapshot(text);
    if (s.invalid) throw new Error(`${file}: ${s.invalid}`);
  },
  async render(root, envs, overrides): Promise<RenderOutput> {
    const files = [];
    for (const env of envs) {
      const text = overrides.get(env) ?? (await readFile(join(root, 'environments', `${env}.yaml`), 'utf8'));
      const s = readSnapshot(text);
      for (const [app, rel] of Object.entries(s.release).sort(([a], [b]) => a.localeCompare(b))) {
        files.push({
          path: `gitops/${env}/${app}/deployment.yaml`,
          content: `kind: Deployment\nmetadata: { name: ${app}, namespace: payday-${env} }\nimage: ${rel.image}\nversion: "${rel.version}"\n`,
        });
      }
    }
    return { files, owned: envs.map((e) => `gitops/${e}`) };
  },
  async gate(_root, envs, rendered): Promise<GateOutcome> {
    const denied = rendered.files.filter((f) => /@sha256:bad/.test(f.content));
    const report = rendered.files
      .map((f) => `${/@sha256:bad/.test(f.content) ? 'DENY' : 'PASS'} no-known-bad-digest ${f.path}`)
      .join('\n');
    return {
      passed: denied.length === 0,
      summary: `${denied.length ? 'fail' : 'pass'} (${envs.join(', ')}: ${rendered.files.length} objects, ${denied.length} denials)`,
      report: `${report}\n`,
    };
  },
};
