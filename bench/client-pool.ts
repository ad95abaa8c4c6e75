// The load client as a pool of worker threads sharing `concurrency` flows in flight per server.
import { Worker } from 'node:worker_threads';
import type { ClientKind } from './bench-args.ts';
import type { ClientWorkerData, ClientWorkerReply, ClientWorkerRequest } from './client-worker.ts';
import type { DriveResult } from './drive-flows.ts';

// Node 20 workers do not inherit tsx's loader hooks, so a small bootstrap registers them first.
const WORKER_BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then(({ register }) => { register(); return import(${JSON.stringify(new URL('./client-worker.ts', import.meta.url).href)}); })`;

/** Worker threads that drive flows against every named server, one window at a time. */
export class ClientPool {
  private nextId = 0;

  private constructor(private readonly workers: Worker[]) {}

  /** Starts `threads` workers of `client` kind splitting `concurrency` lanes between them; resolves once all are ready. */
  static async start(client: ClientKind, urls: Record<string, string>, concurrency: number, threads: number): Promise<ClientPool> {
    const count = Math.max(1, Math.min(threads, concurrency));
    const workers = Array.from({ length: count }, (_, i) => {
      const lanes = Math.floor(concurrency / count) + (i < concurrency % count ? 1 : 0);
      const data: ClientWorkerData = { urls, lanes, client };
      return new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: data });
    });
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (reply: ClientWorkerReply) => (reply.type === 'ready' ? resolve() : reject(new Error('worker not ready'))));
    })));
    return new ClientPool(workers);
  }

  /** Every worker drives `server` for `durationMs`; the flows add up. */
  async drive(server: string, durationMs: number): Promise<DriveResult> {
    const results = await Promise.all(this.workers.map((worker) => {
      const id = ++this.nextId;
      return new Promise<DriveResult>((resolve, reject) => {
        const onMessage = (reply: ClientWorkerReply) => {
          if (reply.type !== 'result' || reply.id !== id) return;
          worker.off('message', onMessage);
          worker.off('error', reject);
          resolve(reply.result);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.postMessage({ type: 'drive', id, server, durationMs } satisfies ClientWorkerRequest);
      });
    }));
    return {
      flows: results.reduce((sum, r) => sum + r.flows, 0),
      drained: results.reduce((sum, r) => sum + r.drained, 0),
      errors: results.reduce((sum, r) => sum + r.errors, 0),
      firstError: results.find((r) => r.firstError)?.firstError,
      elapsedMs: durationMs,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' } satisfies ClientWorkerRequest);
      const forced = setTimeout(() => void worker.terminate(), 5_000);
      return exited.finally(() => clearTimeout(forced));
    }));
  }
}
