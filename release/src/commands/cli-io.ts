/**
 * What the release CLIs share: where output goes (so tests run them in-process), and one exit
 * convention: 0 done, 1 refused or rules violated (the message says why and how to proceed),
 * 2 bad usage or an unexpected error.
 */
import { pathToFileURL } from 'node:url';
import { isDuration, parseDuration } from '@payday/generators/environments';
import { Refusal } from './refusal.js';

export interface CliIo {
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export class UsageError extends Error {}

/** Runs a CLI body and maps errors to the exit convention. */
export async function runCli(
  name: string,
  usage: string,
  io: CliIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof Refusal) {
      io.err(`${name} refused: ${err.why}\n  → ${err.how}\nNothing was changed.\n`);
      return 1;
    }
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`${name}: ${(err as Error).message}\n\n${usage}`);
      return 2;
    }
    io.err(`${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}

/** True when `meta.url` is the script node was started with (the CLI entry point). */
export function isEntryPoint(metaUrl: string): boolean {
  return !!process.argv[1] && metaUrl === pathToFileURL(process.argv[1]).href;
}

/** `--since 7d` (that long ago, in the environment files' duration format) or an ISO 8601 date/time. */
export function parseWhen(flag: string, value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  if (isDuration(value)) return new Date(now.getTime() - parseDuration(value));
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new UsageError(
      `${flag} "${value}" is neither a date (2026-11-01, 2026-11-01T12:00:00Z) nor a duration ago (7d, 24h)`,
    );
  return d;
}
