// One measured window of the throughput bench: flows per second against one server, and the CPU
// the server and the client each spent per flow.
import type { ClientPool } from './client-pool.ts';
import type { BenchServer } from './mock-throughput.ts';
import type { ServerChild } from './spawn-server.ts';

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
  /** Client CPU per flow: what a shared machine pays for the client on top of the server. */
  clientMicrosPerFlow: number;
}

/** Drives `server` for `durationMs` and reads both processes' CPU around it. */
export async function measureWindow(pool: ClientPool, server: ServerChild, round: number, durationMs: number): Promise<ThroughputWindow> {
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

/** The window's line in the bench output. */
export const describeWindow = (w: ThroughputWindow) =>
  `round ${w.round} ${w.server.padEnd(6)} ${w.flowsPerSec.toFixed(0).padStart(6)} flows/s  server CPU ${w.serverCpuPct.toFixed(0)}% of a core, ` +
  `${w.serverMicrosPerFlow.toFixed(0)} µs/flow; client CPU ${w.clientCpuPct.toFixed(0)}%, ${w.clientMicrosPerFlow.toFixed(0)} µs/flow${w.errors ? `; ${w.errors} FAILED flows: ${w.firstError}` : ''}`;
