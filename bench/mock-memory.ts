// The mock's resident memory with many ConverseStream streams held open at once (a delay fault
// before frame 1 keeps each one open), read from outside the mock's process.
import { ConverseStreamCommand, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { pathToFileURL } from 'node:url';
import { FAULT_REQUEST_HEADER } from '../mock-bedrock/wire-constants.ts';
import { benchMain, parseBenchArgs, type MemoryOptions } from './bench-args.ts';
import { benchClient } from './bench-client.ts';
import { loadSeedFlow } from './seed-flow.ts';
import { spawnServer } from './spawn-server.ts';

/** What the memory bench measured. */
export interface MemoryReport {
  streams: number;
  /** Streams that delivered frame 0 and were still open when memory was read. */
  open: number;
  idleRssBytes: number;
  /** Highest RSS over the samples taken while every stream was open. */
  rssBytes: number;
  heapUsedBytes: number;
  openMs: number;
  summary: string;
}

const MB = 1024 * 1024;
/** How many streams are being opened at any moment (the listen backlog is 511 by default). */
const OPENING_AT_ONCE = 100;

/** Opens `streams` streams, reads memory while all are open, then lets them go. */
export async function runMemory(o: MemoryOptions): Promise<MemoryReport> {
  const [first] = await loadSeedFlow();
  const mock = await spawnServer('mock', 'serve-mock.ts');
  const faults = JSON.stringify({ delays: [{ frame: 1, ms: o.holdMs }] });
  const client = benchClient(mock.url, o.streams, { [FAULT_REQUEST_HEADER]: faults });
  const held: AsyncIterator<ConverseStreamOutput>[] = [];
  let ended = 0;
  try {
    const idle = await mock.stats();
    const started = performance.now();
    const openOne = async () => {
      const out = await client.send(new ConverseStreamCommand({ modelId: first!.modelId, ...first!.body } as never));
      const stream = out.stream![Symbol.asyncIterator]();
      const head = await stream.next();
      if (head.done || !head.value.messageStart) throw new Error(`stream ${held.length} did not start with messageStart`);
      held.push(stream);
      void stream.next().then(() => { ended += 1; }, () => { ended += 1; });
    };
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(OPENING_AT_ONCE, o.streams) }, async () => {
      while (next < o.streams) {
        next += 1;
        await openOne();
      }
    }));
    const openMs = performance.now() - started;
    if (openMs > o.holdMs / 2) throw new Error(`opening took ${openMs.toFixed(0)} ms, too close to the ${o.holdMs} ms hold: raise --hold`);
    const samples = [];
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      samples.push(await mock.stats());
    }
    const peak = samples.reduce((a, b) => (b.rssBytes > a.rssBytes ? b : a));
    const open = held.length - ended;
    const summary = `${open} open streams: mock RSS ${(peak.rssBytes / MB).toFixed(0)} MB (target < 256 MB)`;
    o.log(`memory: mock idle RSS ${(idle.rssBytes / MB).toFixed(0)} MB; opened ${held.length} streams in ${openMs.toFixed(0)} ms; ` +
      `with all open: heap used ${(peak.heapUsedBytes / MB).toFixed(0)} MB, RSS ${(peak.rssBytes / MB).toFixed(0)} MB ` +
      `(${(((peak.rssBytes - idle.rssBytes) / Math.max(1, open)) / 1024).toFixed(0)} KB per stream)`);
    o.log(summary);
    return { streams: o.streams, open, idleRssBytes: idle.rssBytes, rssBytes: peak.rssBytes, heapUsedBytes: peak.heapUsedBytes, openMs, summary };
  } finally {
    client.destroy();
    await mock.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMain(async (argv) => {
    const report = await runMemory(parseBenchArgs(argv).memory);
    return report.open === report.streams ? 0 : 1;
  });
}
