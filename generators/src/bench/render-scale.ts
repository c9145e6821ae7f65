/**
 * One measured render of the synthetic repository, as a process: used by bench/suites/render.ts
 * to compare tsx with compiled JavaScript and our pipeline with `kubectl kustomize`.
 *   render-scale.ts --root DIR --apps N
 * DIR/environments must hold the synthetic files. Prints one JSON line: objects and milliseconds.
 */
import { parseArgs } from 'node:util';
import { renderEnvironments } from '../render/render.js';
import { syntheticFactories } from './synthetic.js';

const { values } = parseArgs({ options: { root: { type: 'string' }, apps: { type: 'string' } } });
const t0 = performance.now();
const result = await renderEnvironments({
  root: values.root!,
  factories: syntheticFactories(Number(values.apps)),
});
const objects = result.environments.reduce((n, e) => n + e.objects.length, result.global.length);
process.stdout.write(
  `${JSON.stringify({ objects, files: result.files.size, renderMs: performance.now() - t0 })}\n`,
);
