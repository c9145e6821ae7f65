/**
 * What `npm run bench` (bench/suites/render.ts) needs beyond the package's main entry point: the
 * synthetic environments and their kustomize twin, and the switch that forgets loaded validators
 * so a "fresh process" load can be timed in one process (bench/README.md, "render").
 */

export { forgetLoadedValidators } from '../validate/compile.js';
export { writeKustomizeTree } from './kustomize-tree.js';
export { syntheticFactories, writeSyntheticEnvironments } from './synthetic.js';
