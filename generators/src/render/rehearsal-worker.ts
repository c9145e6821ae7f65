/**
 * The rehearsal thread's body (rehearsal-thread.ts): loads the rehearsal as soon as the thread
 * starts, while the render runs on the main thread, then answers each request in turn.
 */
import { parentPort } from 'node:worker_threads';
import { type RehearsalRequest, rehearseRendered } from './rehearse-rendered.js';

const port = parentPort;
if (!port) throw new Error('rehearsal-worker.ts runs as a worker thread (render/rehearsal-thread.ts)');

// Loading starts now; the first request waits for it (a second import of the same modules is free).
const loaded = Promise.all([import('@payday/rehearsal'), import('./rehearsal-checks.js')]);
loaded.catch(() => {}); // a load failure reaches the caller through the first request

port.on('message', async ({ id, request }: { id: number; request: RehearsalRequest }) => {
  try {
    await loaded;
    port.postMessage({ id, outcome: await rehearseRendered(request) });
  } catch (err) {
    port.postMessage({ id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
