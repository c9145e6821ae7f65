import { compileExpression } from './src/cel/compile.js';

const o = {
  object: {
    spec: {
      replicas: 3,
      containers: [
        { name: 'a', image: 'nginx:latest' },
        { name: 'b', image: 'ghcr.io/payday/api@sha256:' + 'a'.repeat(64) },
      ],
    },
    metadata: { labels: {} },
  },
};
const exprs = process.argv.slice(2);
for (const e of exprs) {
  try {
    console.log(e, '=>', compileExpression(e)(o));
  } catch (err) {
    console.log(e, 'ERR', (err as Error).message.split('\n')[0]);
  }
}
