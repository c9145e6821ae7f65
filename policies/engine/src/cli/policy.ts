#!/usr/bin/env tsx
/**
 * `npm run policy -- test <dir…> [--output table|json]`: runs kyverno-test.yaml suites with
 * `kyverno test` semantics. Exit 0 when every expected result holds, 1 when one does not,
 * 2 when a suite, policy or resource cannot be loaded, or when some expected results belong to
 * a policy the engine cannot evaluate (reported `Unsupported` with the reason, after every
 * other result has been checked): nothing unverified passes silently.
 */
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverTestFiles } from '../kyverno-test/discover.js';
import { formatTestTable, summarize } from '../kyverno-test/format.js';
import { runTestFile, type TestRow } from '../kyverno-test/run-test.js';

const USAGE = 'usage: npm run policy -- test <dir|file…> [--output table|json]';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

const processIo: CliIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

export function main(argv: string[], io: CliIo = processIo): number {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      output: { type: 'string', short: 'o', default: 'table' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const [command, ...paths] = positionals;
  if (command !== 'test' || paths.length === 0) {
    io.stderr(`${USAGE}\n`);
    return 2;
  }
  if (values.output !== 'table' && values.output !== 'json') {
    io.stderr(`unknown --output ${values.output} (table or json)\n`);
    return 2;
  }
  let files: string[];
  try {
    files = discoverTestFiles(paths);
  } catch (err) {
    io.stderr(`error: ${(err as Error).message}\n`);
    return 2;
  }
  if (files.length === 0) {
    io.stderr(`error: no kyverno-test.yaml under ${paths.join(', ')}\n`);
    return 2;
  }
  const rows: TestRow[] = [];
  for (const file of files) {
    try {
      const fileRows = runTestFile(file);
      rows.push(...fileRows);
      if (values.output === 'table') {
        io.stdout(`\nLoading test ${relative(process.cwd(), file)}\n${formatTestTable(fileRows)}\n`);
      }
    } catch (err) {
      io.stderr(`error: ${(err as Error).message}\n`);
      return 2;
    }
  }
  const s = summarize(rows);
  if (values.output === 'json') {
    const records = rows.map((r) => ({ ...r, test: relative(process.cwd(), r.test) }));
    io.stdout(`${JSON.stringify(records, null, 2)}\n`);
  } else {
    io.stdout(
      `\nTest Summary: ${s.pass} tests passed, ${s.fail} tests failed, ${s.excluded} excluded, ${s.unsupported} unsupported\n`,
    );
  }
  return s.fail > 0 ? 1 : s.unsupported > 0 ? 2 : 0;
}

if (process.argv[1]?.endsWith('/cli/policy.ts')) process.exitCode = main(process.argv.slice(2));
