#!/usr/bin/env tsx
/**
 * `npm run rehearse`: the cluster rehearsal's command (@payday/rehearsal, docs/rehearsal.md)
 * started from the generators, because its network check needs the flow matrix of
 * generators/src/catalogue/flows.ts and the rehearsal never imports the generators.
 */
import { CHECKS, rehearseCli } from '@payday/rehearsal';
import { rehearsalChecks } from '../render/rehearsal-checks.js';

if (process.argv[1]?.endsWith('/cli/rehearse.ts'))
  process.exitCode = rehearseCli(process.argv.slice(2), undefined, rehearsalChecks(CHECKS));
