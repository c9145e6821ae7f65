/**
 * The dashboard's only static files, read once at startup and served with a content hash in
 * the URL so they can be cached for a year (`immutable`, RFC 8246) and still change on deploy.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

function load(name: string, type: string) {
  const body = readFileSync(new URL(`../assets/${name}`, import.meta.url));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type, hash, etag: `"${hash}"`, path: `/assets/${name.replace(/\.(\w+)$/, `.${hash}.$1`)}` };
}

export const STATIC_FILES = [
  load('app.css', 'text/css; charset=utf-8'),
  load('app.js', 'text/javascript; charset=utf-8'),
];

export const ASSETS = { css: STATIC_FILES[0]!.path, js: STATIC_FILES[1]!.path };
