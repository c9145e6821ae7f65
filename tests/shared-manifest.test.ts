import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Manifest, syncShared } from '../scripts/shared/sync.js';

const manifest = JSON.parse(
  readFileSync(fileURLToPath(new URL('../scripts/shared/manifest.json', import.meta.url)), 'utf8'),
) as Manifest;
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

describe('scripts/shared/manifest.json', () => {
  it('pins every source to a tag or a commit on raw.githubusercontent.com, never a branch', () => {
    for (const [rel, pin] of Object.entries(manifest.files)) {
      const ref = new URL(pin.url).pathname.split('/')[3] ?? '';
      expect(pin.url.startsWith('https://raw.githubusercontent.com/'), rel).toBe(true);
      expect(/^(v\d+\.\d+\.\d+|[0-9a-f]{40})$/.test(ref), `${rel}: ${ref}`).toBe(true);
    }
  });
});

describe('syncShared', () => {
  let server: Server;
  let base: string;
  const body = 'kind: CustomResourceDefinition\n';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/good.yaml' || req.url === '/tampered.yaml') {
        res.end(req.url === '/good.yaml' ? body : `${body}# changed\n`);
      } else {
        res.statusCode = 404;
        res.end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('downloads what is missing, checks it, and leaves a correct file alone', async () => {
    const dest = await mkdtemp(join(tmpdir(), 'payday-shared-'));
    try {
      const m: Manifest = { files: { 'crds/x/good.yaml': { url: `${base}/good.yaml`, sha256: sha(body) } } };
      expect(await syncShared(m, dest)).toEqual({ present: [], fetched: ['crds/x/good.yaml'] });
      expect(await readFile(join(dest, 'crds/x/good.yaml'), 'utf8')).toBe(body);
      expect(await syncShared(m, dest)).toEqual({ present: ['crds/x/good.yaml'], fetched: [] });
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  });

  it('fails closed on a sha256 mismatch or an HTTP error and writes nothing', async () => {
    const dest = await mkdtemp(join(tmpdir(), 'payday-shared-'));
    try {
      const tampered: Manifest = { files: { 'a.yaml': { url: `${base}/tampered.yaml`, sha256: sha(body) } } };
      await expect(syncShared(tampered, dest)).rejects.toThrow(/a\.yaml: sha256 [0-9a-f]{64} does not match/);
      const missing: Manifest = { files: { 'b.yaml': { url: `${base}/missing.yaml`, sha256: sha(body) } } };
      await expect(syncShared(missing, dest)).rejects.toThrow(`b.yaml: ${base}/missing.yaml answered 404`);
      expect(readdirSync(dest)).toEqual([]);
    } finally {
      await rm(dest, { recursive: true, force: true });
    }
  });
});
