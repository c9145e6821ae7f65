/**
 * `npx tsx scripts/shared/fetch.ts [DEST]`: puts the pinned upstream schema files into `../shared`
 * (or DEST) where they are missing. Only for regenerating the committed schema bundle
 * (`npm run schemas -- --from DEST`; generators/README.md "Schemas"): render, the gate and the
 * tests read the bundle and never this folder. Every file is checked against its sha256 in
 * manifest.json; nothing is trusted by name.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type Manifest, syncShared } from './sync.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dest = process.argv[2] ?? fileURLToPath(new URL('../../../shared', import.meta.url));
const manifest = JSON.parse(await readFile(`${here}manifest.json`, 'utf8')) as Manifest;
try {
  const r = await syncShared(manifest, dest, { log: (l) => process.stderr.write(`shared: ${l}\n`) });
  process.stdout.write(`shared: ${r.present.length} present, ${r.fetched.length} fetched into ${dest}\n`);
} catch (err) {
  process.stderr.write(
    `shared: ${err instanceof Error ? err.message : String(err)}; nothing more was written\n`,
  );
  process.exit(1);
}
