/** Captures a CLI's output when it runs in-process (the CLIs take a CliIo). */
import type { CliIo } from '../commands/cli-io.js';

export interface CapturedIo extends CliIo {
  stdout: string;
  stderr: string;
}

export function captureIo(cwd: string): CapturedIo {
  const io: CapturedIo = {
    cwd,
    stdout: '',
    stderr: '',
    out: (t) => {
      io.stdout += t;
    },
    err: (t) => {
      io.stderr += t;
    },
  };
  return io;
}
