// `npm run bench`: the throughput comparison per client kind, then the memory bench, then the targets.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchMain, parseBenchArgs } from './bench-args.ts';
import { CLIENT_LABELS } from './flow-client.ts';
import { runMemory } from './mock-memory.ts';
import { runThroughput } from './mock-throughput.ts';
import { REPO_ROOT } from './seed-flow.ts';

/** Where the full results go (git-ignored). */
export const BENCH_OUT_DIR = join(REPO_ROOT, '.bench-out');

await benchMain(async (argv) => {
  const options = parseBenchArgs(argv);
  const throughput = await runThroughput(options.throughput);
  const memory = await runMemory(options.memory);
  const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
  const rssMb = memory.rssBytes / (1024 * 1024);
  console.log('');
  for (const client of throughput.clients) console.log(client.summary);
  console.log(memory.summary);
  for (const client of throughput.clients) {
    console.log(`targets: [${CLIENT_LABELS[client.client]}] mock/bare ${client.mockOverBare.toFixed(2)} ${verdict(client.mockOverBare >= 0.7)} (>= 0.7), ` +
      `mock/aimock ${client.mockOverAimock.toFixed(2)} ${verdict(client.mockOverAimock > 1)} (> 1)`);
  }
  console.log(`targets: memory ${rssMb.toFixed(0)} MB ${verdict(rssMb < 256 && memory.open === memory.streams)} (< 256 MB with ${memory.streams} open)`);
  mkdirSync(BENCH_OUT_DIR, { recursive: true });
  const file = join(BENCH_OUT_DIR, 'bench-results.json');
  const machine = { node: process.version, platform: process.platform, arch: process.arch, cpus: cpus().length };
  // JSON.stringify leaves out the options' log functions.
  writeFileSync(file, `${JSON.stringify({ machine, options, throughput, memory }, null, 2)}\n`);
  console.log(`full results: ${file}`);
  return throughput.errors === 0 && memory.open === memory.streams ? 0 : 1;
});
