/**
 * One bash session for a document's commands, so a variable set by one command (an API key, a
 * payment id) is there for the next, as in the reader's terminal. stdout and stderr are merged,
 * stdin is closed for every command, and each has a time limit.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';

export interface CommandResult {
  output: string;
  exitCode: number;
}

export class Shell {
  readonly #proc: ChildProcessWithoutNullStreams;
  #buffer = '';
  #onData?: () => void;

  constructor(cwd: string, env: NodeJS.ProcessEnv) {
    this.#proc = spawn('bash', ['--noprofile', '--norc'], { cwd, env });
    const take = (chunk: Buffer) => {
      this.#buffer += chunk.toString('utf8');
      this.#onData?.();
    };
    this.#proc.stdout.on('data', take);
    this.#proc.stderr.on('data', take);
    this.#proc.stdin.write('exec 2>&1\n');
  }

  run(command: string, timeoutMs: number): Promise<CommandResult> {
    const marker = `__doc_test_${randomUUID()}__`;
    this.#buffer = '';
    this.#proc.stdin.write(`{\n${command}\n} </dev/null\nprintf '\\n${marker} %d\\n' "$?"\n`);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#onData = undefined;
        reject(new Error(`timed out after ${timeoutMs} ms; output so far:\n${this.#buffer}`));
      }, timeoutMs);
      this.#onData = () => {
        const m = new RegExp(`\\n${marker} (\\d+)\\n`).exec(this.#buffer);
        if (!m) return;
        clearTimeout(timer);
        this.#onData = undefined;
        resolve({ output: this.#buffer.slice(0, m.index), exitCode: Number(m[1]) });
      };
      this.#onData();
    });
  }

  close(): void {
    this.#proc.stdin.end();
    this.#proc.kill();
  }
}
