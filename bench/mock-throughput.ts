// Two-round ConverseStream flows per second through the mock, a bare node:http server writing the
// same bytes, and @copilotkit/aimock: same client, same concurrency, interleaved rounds. Each client
// kind measures in turn: the AWS SDK as users run it, then a light client whose CPU per flow is small
// enough that the servers, not the client, set the rates.
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { benchMain, parseBenchArgs, type ClientKind, type ThroughputOptions } from './bench-args.ts';
import { ClientPool } from './client-pool.ts';
import { CLIENT_LABELS } from './flow-client.ts';
import { describeWindow, measureWindow, type ThroughputWindow } from './measure-window.ts';
import { profileServers } from './profile-servers.ts';
import { spawnServer, type ServerChild } from './spawn-server.ts';

/** The servers compared, in the order each round runs them. */
export const BENCH_SERVERS = [
  { name: 'mock', script: 'serve-mock.ts' },
  { name: 'bare', script: 'serve-bare.ts' },
  { name: 'aimock', script: 'serve-aimock.ts' },
] as const;
export type BenchServer = (typeof BENCH_SERVERS)[number]['name'];

/** One client kind's medians and ratios, plus every window behind them. */
export interface ClientThroughput {
  client: ClientKind;
  median: Record<BenchServer, { flowsPerSec: number; serverMicrosPerFlow: number; serverCpuPct: number; clientMicrosPerFlow: number }>;
  mockOverBare: number;
  mockOverAimock: number;
  errors: number;
  windows: ThroughputWindow[];
  /** `[label] mock N flows/s, …; mock/bare = …, mock/aimock = …`. */
  summary: string;
}

/** What the issue asks for, per client kind in the order they ran. */
export interface ThroughputReport {
  clients: ClientThroughput[];
  errors: number;
  loadAverage: { before: number; after: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Says what set the rates: a saturated server, the whole machine (client + server), or neither. */
function bottleneck(windows: ThroughputWindow[]): string {
  const busiest = Math.max(...BENCH_SERVERS.map(({ name }) => median(windows.filter((w) => w.server === name).map((w) => w.serverCpuPct))));
  if (busiest >= 90) return `bottleneck: a server used a full core (busiest median ${busiest.toFixed(0)}%): server-bound`;
  const machinePct = 100 * cpus().length;
  const total = median(windows.map((w) => w.serverCpuPct + w.clientCpuPct));
  if (total >= 0.85 * machinePct) {
    return `bottleneck: client + server used ${total.toFixed(0)}% of ${machinePct}% CPU (busiest server ${busiest.toFixed(0)}% of a core): ` +
      `each rate is about CPUs / (client + server CPU per flow), so the client's share weighs in; more cores and --client-threads would isolate the servers`;
  }
  return `bottleneck: neither a server (busiest ${busiest.toFixed(0)}%) nor the machine (${total.toFixed(0)}% of ${machinePct}%) was saturated: other load or latency set these rates`;
}

/** The interleaved rounds with one client kind; every line it prints starts with the kind's label. */
async function measureClient(client: ClientKind, servers: ServerChild[], o: ThroughputOptions): Promise<ClientThroughput> {
  const tag = `[${CLIENT_LABELS[client]}]`;
  const log = (line: string) => o.log(`${tag} ${line}`);
  const pool = await ClientPool.start(client, Object.fromEntries(servers.map((s) => [s.name, s.url])), o.concurrency, o.clientThreads);
  const windows: ThroughputWindow[] = [];
  const loadBefore = loadavg()[0]!;
  try {
    log(`throughput: ${o.concurrency} flows in flight, ${o.clientThreads} client thread(s), ${o.rounds} round(s) of ${o.durationMs} ms per server after ${o.warmupMs} ms warm-up; load average ${loadBefore.toFixed(2)}`);
    for (const server of servers) await pool.drive(server.name, o.warmupMs);
    for (let round = 1; round <= o.rounds; round++) {
      for (const server of servers) {
        const window = await measureWindow(pool, server, round, o.durationMs);
        windows.push(window);
        log(describeWindow(window));
      }
    }
    if (o.profileDir) await profileServers(pool, client, servers, o.profileDir, o.durationMs, log);
  } finally {
    await pool.close();
  }
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
  const summary = `${tag} mock ${m.mock.flowsPerSec.toFixed(0)} flows/s, bare ${m.bare.flowsPerSec.toFixed(0)} flows/s, aimock ${m.aimock.flowsPerSec.toFixed(0)} flows/s; ` +
    `mock/bare = ${mockOverBare.toFixed(2)} (target >= 0.7), mock/aimock = ${mockOverAimock.toFixed(2)} (target > 1)`;
  o.log(summary);
  log(`server CPU per flow: mock ${m.mock.serverMicrosPerFlow.toFixed(0)} µs, bare ${m.bare.serverMicrosPerFlow.toFixed(0)} µs, aimock ${m.aimock.serverMicrosPerFlow.toFixed(0)} µs; ` +
    `bare/mock = ${(m.bare.serverMicrosPerFlow / m.mock.serverMicrosPerFlow).toFixed(2)}, aimock/mock = ${(m.aimock.serverMicrosPerFlow / m.mock.serverMicrosPerFlow).toFixed(2)} ` +
    `(the flow-rate ratios a run bound by the server alone would approach)`);
  log(`client CPU per flow: mock ${m.mock.clientMicrosPerFlow.toFixed(0)} µs, bare ${m.bare.clientMicrosPerFlow.toFixed(0)} µs, aimock ${m.aimock.clientMicrosPerFlow.toFixed(0)} µs; ` +
    `load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after on ${cpus().length} CPUs`);
  log(bottleneck(windows));
  if (errors > 0) log(`FAILED: ${errors} flow(s) did not get the recorded answer`);
  return { client, median: m, mockOverBare, mockOverAimock, errors, windows, summary };
}

/** Runs the comparison once per client kind against the same server processes. */
export async function runThroughput(o: ThroughputOptions): Promise<ThroughputReport> {
  const loadBefore = loadavg()[0]!;
  const servers: ServerChild[] = [];
  try {
    for (const { name, script } of BENCH_SERVERS) servers.push(await spawnServer(name, script));
    const clients: ClientThroughput[] = [];
    for (const client of o.clients) clients.push(await measureClient(client, servers, o));
    const errors = clients.reduce((sum, c) => sum + c.errors, 0);
    return { clients, errors, loadAverage: { before: loadBefore, after: loadavg()[0]! } };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMain(async (argv) => {
    const report = await runThroughput(parseBenchArgs(argv).throughput);
    return report.errors > 0 ? 1 : 0;
  });
}
