/** The render command's arguments (cli/render.ts), parsed before anything heavy is loaded. */
import { parseArgs } from 'node:util';

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

export interface RenderArgs {
  env?: string[];
  check?: boolean;
  out?: string;
  'no-gate'?: boolean;
  'no-rehearsal'?: boolean;
  help?: boolean;
}

export const USAGE =
  'usage: npm run render -- [--env NAME]… [--check] [--out DIR] [--no-gate] [--no-rehearsal]';

/** Throws node:util's error (`Unknown option '--x'`…) on bad arguments. */
export function parseRenderArgs(argv: string[]): RenderArgs {
  return parseArgs({
    args: argv,
    options: {
      env: { type: 'string', multiple: true },
      check: { type: 'boolean', default: false },
      out: { type: 'string' },
      'no-gate': { type: 'boolean', default: false },
      'no-rehearsal': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
}
