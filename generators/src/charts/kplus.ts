/**
 * cdk8s-plus, loaded with `require` rather than an ES `import`. The package is CommonJS and its
 * index re-exports some forty modules; an `import` makes Node's ESM loader pre-parse the index and
 * every re-exported module for its export names (the `cjs-module-lexer` pass of Node's CommonJS
 * interop, "Modules: ECMAScript modules", Node.js 20 docs, "CommonJS Namespaces") before
 * `require` runs them anyway. `require` skips that pass: about 60 ms of every render process
 * (bench/README.md, "Render: the rehearsal's overhead"). The module is the same instance either way.
 */
import { createRequire } from 'node:module';
import type * as Kplus from 'cdk8s-plus-34';

export type { ConfigMap, Service } from 'cdk8s-plus-34';

export const kplus: typeof Kplus = createRequire(import.meta.url)('cdk8s-plus-34');
