import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('.', import.meta.url).pathname;
const sources = (folder: string) =>
  readdirSync(join(src, folder))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => ({ file: `${folder}/${f}`, text: readFileSync(join(src, folder, f), 'utf8') }));
const imports = (text: string) => [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

/** The layout apps/api/README.md describes: routes validate and call services; services hold the queries. */
describe('apps/api layout', () => {
  it('route files hold no database access: no query builder, no tables, no raw pool', () => {
    const offences = sources('routes').flatMap(({ file, text }) => [
      ...imports(text)
        .filter((m) => m === 'drizzle-orm' || m.startsWith('drizzle-orm/') || m === '@payday/db/schema')
        .map((m) => `${file} imports ${m}`),
      ...(/database\.(sql|db)\s*[`.]/.test(text) ? [`${file} queries the database itself`] : []),
    ]);
    expect(offences).toEqual([]);
  });

  it('services never import routes', () => {
    const offences = sources('services').flatMap(({ file, text }) =>
      imports(text)
        .filter((m) => m.includes('/routes/'))
        .map((m) => `${file} imports ${m}`),
    );
    expect(offences).toEqual([]);
  });
});
