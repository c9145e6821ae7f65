/**
 * The cluster rehearsal on a thread of its own (docs/rehearsal.md §Cost). The render command
 * starts it before it loads the render's modules, so loading the rehearsal (its checks, the policy
 * engine, the CEL library) overlaps loading and running the render on the machine's other core;
 * the rendered objects are posted as soon as they are built and rehearsed while the main thread
 * validates, serialises and gates them.
 *
 * The worker runs TypeScript: the workspace packages export their sources (package.json
 * "exports"), so the thread registers tsx's loader before it imports its body
 * (rehearsal-worker.ts). A Worker does not inherit the loader from `tsx`'s command line in Node 20
 * (a `.ts` entry fails with ERR_UNKNOWN_FILE_EXTENSION), hence the small boot script.
 */
import { Worker } from 'node:worker_threads';
import type { RehearsalOutcome, RehearsalRequest } from './rehearse-rendered.js';

// Evaluated as the worker's (CommonJS) entry: register tsx, then import the body.
const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((tsx) => { tsx.register(); return import(workerData.entry); });`;

/** The worker body beside this module, as TypeScript from src/ or JavaScript from a compiled tree. */
const BODY = new URL(`./rehearsal-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

export class RehearsalThreadError extends Error {}

interface Pending {
  resolve: (outcome: RehearsalOutcome) => void;
  reject: (err: Error) => void;
}

export class RehearsalThread {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failed: Error | undefined;

  /**
   * Starts the thread, which begins loading the rehearsal at once. Throws when no thread can be
   * started (tsx cannot be resolved); the caller then rehearses on its own thread.
   */
  static start(options: { body?: URL } = {}): RehearsalThread {
    return new RehearsalThread(options.body ?? BODY);
  }

  private constructor(body: URL) {
    this.#worker = new Worker(BOOT, {
      eval: true,
      // Not the parent's `--import tsx` flags: the boot script registers the loader itself.
      execArgv: [],
      workerData: { tsx: import.meta.resolve('tsx/esm/api'), entry: body.href },
    });
    // Idle, the thread must not keep the process alive; a request in flight refs it again.
    this.#worker.unref();
    this.#worker.on('message', (m: { id: number; outcome?: RehearsalOutcome; error?: string }) => {
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#settled(m.id);
      if (m.outcome) p.resolve(m.outcome);
      else p.reject(new RehearsalThreadError(`the rehearsal failed in its thread: ${m.error}`));
    });
    this.#worker.on('error', (err) =>
      this.#fail(new RehearsalThreadError(`rehearsal thread: ${err.message}`)),
    );
    this.#worker.on('exit', (code) =>
      this.#fail(new RehearsalThreadError(`rehearsal thread exited (code ${code})`)),
    );
  }

  /** Rehearses on the thread; the request is copied (structured clone) before this returns. */
  rehearse(request: RehearsalRequest): Promise<RehearsalOutcome> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    const outcome = new Promise<RehearsalOutcome>((resolve, reject) =>
      this.#pending.set(id, { resolve, reject }),
    );
    this.#worker.ref();
    this.#worker.postMessage({ id, request });
    return outcome;
  }

  /** Stops the thread; requests still in flight are rejected. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (!this.#pending.size) this.#worker.unref();
  }

  #fail(err: Error): void {
    this.#failed ??= err;
    for (const [id, p] of this.#pending) {
      this.#settled(id);
      p.reject(this.#failed);
    }
  }
}
