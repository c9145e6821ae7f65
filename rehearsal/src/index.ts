/** @payday/rehearsal: what a real cluster will do with gitops/, checked offline (docs/rehearsal.md). */
export * from './model.js';
export * from './network/index.js';
