// Two-round ConverseStream flows per second through the mock, a bare node:http server writing the
// same bytes, and @copilotkit/aimock: same AWS SDK client, same concurrency, interleaved rounds.
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchMain, parseBenchArgs, type ThroughputOptions } from './bench-args.ts';
import { ClientPool } from './client-pool.ts';
import { profileServers } from './profile-servers.ts';
import { spawnServer, type ServerChild } from './spawn-server.ts';

/** The servers compared, in the order each round runs them. */
export const BENCH_SERVERS = [
  { name: 'mock', script: 'serve-mock.ts' },
  { name: 'bare', script: 'serve-bare.ts' },
  { name: 'aimock', script: 'serve-aimock.ts' },
] as const;
export type BenchServer = (typeof BENCH_SERVERS)[number]['name'];

/** One measured window against one server. */
export interface ThroughputWindow {
  server: BenchServer;
  round: number;
  flowsPerSec: number;
  errors: number;
  firstError?: string;
  /** Server CPU (user + system) per flow, counting the flows that drained after the deadline. */
  serverMicrosPerFlow: number;
  /** Server CPU over the window, as a percentage of one core. */
  serverCpuPct: number;
  /** Client process CPU (all its threads), as a percentage of one core. */
  clientCpuPct: number;
  /** Client CPU per flow: the AWS SDK's share, which a shared machine pays too. */
  clientMicrosPerFlow: number;
}

/** The medians and ratios the issue asks for, plus every window behind them. */
export interface ThroughputReport {
  median: Record<BenchServer, { flowsPerSec: number; serverMicrosPerFlow: number; serverCpuPct: number; clientMicrosPerFlow: number }>;
  mockOverBare: number;
  mockOverAimock: number;
  errors: number;
  windows: ThroughputWindow[];
  loadAverage: { before: number; after: number };
  summary: string;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function measure(pool: ClientPool, server: ServerChild, round: number, durationMs: number): Promise<ThroughputWindow> {
  const before = await server.stats();
  const clientBefore = process.cpuUsage();
  const started = performance.now();
  const result = await pool.drive(server.name, durationMs);
  const wallMicros = (performance.now() - started) * 1000;
  const after = await server.stats();
  const client = process.cpuUsage(clientBefore);
  const serverMicros = after.cpuMicros - before.cpuMicros;
  const clientMicros = client.user + client.system;
  const done = Math.max(1, result.flows + result.drained);
  return {
    server: server.name as BenchServer,
    round,
    flowsPerSec: result.flows / (durationMs / 1000),
    errors: result.errors,
    ...(result.firstError ? { firstError: result.firstError } : {}),
    serverMicrosPerFlow: serverMicros / done,
    serverCpuPct: (100 * serverMicros) / wallMicros,
    clientCpuPct: (100 * clientMicros) / wallMicros,
    clientMicrosPerFlow: clientMicros / done,
  };
}

const describe = (w: ThroughputWindow) =>
  `round ${w.round} ${w.server.padEnd(6)} ${w.flowsPerSec.toFixed(0).padStart(6)} flows/s  server CPU ${w.serverCpuPct.toFixed(0)}% of a core, ` +
  `${w.serverMicrosPerFlow.toFixed(0)} µs/flow; client CPU ${w.clientCpuPct.toFixed(0)}%, ${w.clientMicrosPerFlow.toFixed(0)} µs/flow${w.errors ? `; ${w.errors} FAILED flows: ${w.firstError}` : ''}`;

/** Says what set the rates: a saturated server, the whole machine (client + server), or neither. */
function bottleneck(windows: ThroughputWindow[]): string {
  const busiest = Math.max(...BENCH_SERVERS.map(({ name }) => median(windows.filter((w) => w.server === name).map((w) => w.serverCpuPct))));
  if (busiest >= 90) return `bottleneck: a server used a full core (busiest median ${busiest.toFixed(0)}%): server-bound`;
  const machinePct = 100 * cpus().length;
  const total = median(windows.map((w) => w.serverCpuPct + w.clientCpuPct));
  if (total >= 0.85 * machinePct) {
    return `bottleneck: client + server used ${total.toFixed(0)}% of ${machinePct}% CPU (busiest server ${busiest.toFixed(0)}% of a core): ` +
      `each rate is about CPUs / (client + server CPU per flow), so the AWS SDK client's share weighs in; more cores and --client-threads would isolate the servers`;
  }
  return `bottleneck: neither a server (busiest ${busiest.toFixed(0)}%) nor the machine (${total.toFixed(0)}% of ${machinePct}%) was saturated: other load or latency set these rates`;
}

/** Runs the comparison and prints each window, then the medians and ratios on one line. */
export async function runThroughput(o: ThroughputOptions): Promise<ThroughputReport> {
  const loadBefore = loadavg()[0]!;
  const servers: ServerChild[] = [];
  let pool: ClientPool | undefined;
  try {
    for (const { name, script } of BENCH_SERVERS) servers.push(await spawnServer(name, script));
    pool = await ClientPool.start(Object.fromEntries(servers.map((s) => [s.name, s.url])), o.concurrency, o.clientThreads);
    o.log(`throughput: ${o.concurrency} flows in flight, ${o.clientThreads} client thread(s), ${o.rounds} round(s) of ${o.durationMs} ms per server after ${o.warmupMs} ms warm-up; load average ${loadBefore.toFixed(2)}`);
    for (const server of servers) await pool.drive(server.name, o.warmupMs);
    const windows: ThroughputWindow[] = [];
    for (let round = 1; round <= o.rounds; round++) {
      for (const server of servers) {
        const window = await measure(pool, server, round, o.durationMs);
        windows.push(window);
        o.log(describe(window));
      }
    }
    if (o.profileDir) await profileServers(pool, servers, o.profileDir, o.durationMs, o.log);
    const of = (name: BenchServer) => windows.filter((w) => w.server === name);
    const medianOf = (name: BenchServer) => ({
      flowsPerSec: median(of(name).map((w) => w.flowsPerSec)),
      serverMicrosPerFlow: median(of(name).map((w) => w.serverMicrosPerFlow)),
      serverCpuPct: median(of(name).map((w) => w.serverCpuPct)),
      clientMicrosPerFlow: median(of(name).map((w) => w.clientMicrosPerFlow)),
    });
    const m = { mock: medianOf('mock'), bare: medianOf('bare'), aimock: medianOf('aimock') };
    const mockOverBare = m.mock.flowsPerSec / m.bare.flowsPerSec;
    const mockOverAimock = m.mock.flowsPerSec / m.aimock.flowsPerSec;
    const errors = windows.reduce((sum, w) => sum + w.errors, 0);
    const summary = `mock ${m.mock.flowsPerSec.toFixed(0)} flows/s, bare ${m.bare.flowsPerSec.toFixed(0)} flows/s, aimock ${m.aimock.flowsPerSec.toFixed(0)} flows/s; ` +
      `mock/bare = ${mockOverBare.toFixed(2)} (target >= 0.7), mock/aimock = ${mockOverAimock.toFixed(2)} (target > 1)`;
    o.log(summary);
    o.log(`server CPU per flow: mock ${m.mock.serverMicrosPerFlow.toFixed(0)} µs, bare ${m.bare.serverMicrosPerFlow.toFixed(0)} µs, aimock ${m.aimock.serverMicrosPerFlow.toFixed(0)} µs; ` +
      `bare/mock = ${(m.bare.serverMicrosPerFlow / m.mock.serverMicrosPerFlow).toFixed(2)}, aimock/mock = ${(m.aimock.serverMicrosPerFlow / m.mock.serverMicrosPerFlow).toFixed(2)} ` +
      `(the flow-rate ratios a run bound by the server alone would approach)`);
    o.log(`client CPU per flow: mock ${m.mock.clientMicrosPerFlow.toFixed(0)} µs, bare ${m.bare.clientMicrosPerFlow.toFixed(0)} µs, aimock ${m.aimock.clientMicrosPerFlow.toFixed(0)} µs; ` +
      `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after on ${cpus().length} CPUs`);
    o.log(bottleneck(windows));
    if (errors > 0) o.log(`FAILED: ${errors} flow(s) did not get the recorded answer`);
    return { median: m, mockOverBare, mockOverAimock, errors, windows, loadAverage: { before: loadBefore, after: loadavg()[0]! }, summary };
  } finally {
    await pool?.close();
    await Promise.all(servers.map((s) => s.stop()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMain(async (argv) => {
    const report = await runThroughput(parseBenchArgs(argv).throughput);
    return report.errors > 0 ? 1 : 0;
  });
}
