/** `npm run generate:client -w apps/api`: regenerates src/client/schema.gen.ts from the route schemas. */
import { writeFile } from 'node:fs/promises';
import { renderClientTypes, SCHEMA_FILE } from '../client/generate.js';
import { openApiDocument } from '../openapi.js';

const source = await renderClientTypes(openApiDocument());
await writeFile(SCHEMA_FILE, source);
console.log(`wrote ${SCHEMA_FILE}`);
process.exit(0);
