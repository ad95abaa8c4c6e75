// The side of a benchmark server child that talks to the parent: its URL, its resource use, a CPU
// profile of a chosen window, and a clean exit.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** What the child answers to `{ type: 'stats' }`. */
export interface ChildStats {
  type: 'stats';
  /** process.memoryUsage().rss, in bytes. */
  rss: number;
  heapUsed: number;
  /** process.cpuUsage() user + system, in microseconds since the child started. */
  cpuMicros: number;
}

/** Messages the parent sends; each gets an answer with the same `type`. */
export type ChildRequest = { type: 'stats' } | { type: 'profile-start' } | { type: 'profile-stop'; file: string };

const session = new Session();

function post(method: string): Promise<unknown> {
  return new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result))));
}

async function answer(request: ChildRequest): Promise<unknown> {
  switch (request.type) {
    case 'stats': {
      const cpu = process.cpuUsage();
      const memory = process.memoryUsage();
      return { type: 'stats', rss: memory.rss, heapUsed: memory.heapUsed, cpuMicros: cpu.user + cpu.system } satisfies ChildStats;
    }
    case 'profile-start':
      session.connect();
      await post('Profiler.enable');
      await post('Profiler.start');
      return { type: request.type };
    case 'profile-stop': {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      session.disconnect();
      writeFileSync(request.file, JSON.stringify(profile));
      return { type: request.type, file: request.file };
    }
  }
}

/** Prints the ready line with `url`, answers the parent's requests, and closes on SIGTERM or parent exit. */
export function reportReady(url: string, close: () => Promise<void>): void {
  let closing = false;
  const stop = async () => {
    if (closing) return;
    closing = true;
    await close();
    process.exit(0);
  };
  process.on('message', (message: unknown) => {
    void answer(message as ChildRequest).then((reply) => process.send?.(reply));
  });
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  process.stdout.write(`listening on ${url}\n`);
}
