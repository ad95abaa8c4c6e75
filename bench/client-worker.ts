// A worker thread of the load client: one FlowDriver per server, driven on the parent's command,
// so the client's CPU cost can spread over more than one core.
import { parentPort, workerData } from 'node:worker_threads';
import type { ClientKind } from './bench-args.ts';
import { FlowDriver, type DriveResult } from './drive-flows.ts';
import { loadSeedFlow } from './seed-flow.ts';

/** What the pool hands each worker at start. */
export interface ClientWorkerData {
  urls: Record<string, string>;
  lanes: number;
  client: ClientKind;
}

/** Commands from the pool, and the worker's answers. */
export type ClientWorkerRequest = { type: 'drive'; id: number; server: string; durationMs: number } | { type: 'close' };
export type ClientWorkerReply = { type: 'ready' } | { type: 'result'; id: number; result: DriveResult };

const { urls, lanes, client } = workerData as ClientWorkerData;
const rounds = await loadSeedFlow();
const drivers = new Map(Object.entries(urls).map(([name, url]) => [name, new FlowDriver(client, url, rounds, lanes)]));
const port = parentPort!;

port.on('message', async (request: ClientWorkerRequest) => {
  if (request.type === 'close') {
    for (const driver of drivers.values()) driver.close();
    port.close();
    return;
  }
  const result = await drivers.get(request.server)!.drive(request.durationMs);
  port.postMessage({ type: 'result', id: request.id, result } satisfies ClientWorkerReply);
});
port.postMessage({ type: 'ready' } satisfies ClientWorkerReply);
