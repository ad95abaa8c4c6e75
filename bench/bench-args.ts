// Command-line settings of the benchmarks, with the defaults the issue asks for.
import { parseArgs } from 'node:util';

/** The load clients: the AWS SDK as users run it, and a light one so the servers set the rates. */
export const CLIENT_KINDS = ['sdk', 'light'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Settings of the throughput bench. */
export interface ThroughputOptions {
  /** Flows in flight per server (and keep-alive sockets). */
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  /** Interleaved mock/bare/aimock rounds; the median is reported. */
  rounds: number;
  /** Worker threads the client's lanes are spread over. */
  clientThreads: number;
  /** The clients that measure, one after the other, each over every server. */
  clients: ClientKind[];
  /** When set, one more window per server runs under the CPU profiler and its summary is printed. */
  profileDir?: string;
  log: (line: string) => void;
}

/** Settings of the memory bench. */
export interface MemoryOptions {
  streams: number;
  /** How long the mock holds each stream open (a delay before frame 1). */
  holdMs: number;
  log: (line: string) => void;
}

export const THROUGHPUT_DEFAULTS: Omit<ThroughputOptions, 'log'> = { concurrency: 32, durationMs: 5_000, warmupMs: 2_000, rounds: 3, clientThreads: 2, clients: [...CLIENT_KINDS] };
export const MEMORY_DEFAULTS: Omit<MemoryOptions, 'log'> = { streams: 1_000, holdMs: 120_000 };

/** Usage text shared by the three entry points. */
export const BENCH_USAGE = `Usage: npm run bench -- [options]    (or tsx bench/mock-throughput.ts | bench/mock-memory.ts)

Options:
  --concurrency N     flows in flight per server (default ${THROUGHPUT_DEFAULTS.concurrency})
  --duration MS       measured window per server and round (default ${THROUGHPUT_DEFAULTS.durationMs})
  --warmup MS         warm-up per server (default ${THROUGHPUT_DEFAULTS.warmupMs})
  --rounds N          interleaved rounds, median reported (default ${THROUGHPUT_DEFAULTS.rounds})
  --client-threads N  worker threads of the load client (default ${THROUGHPUT_DEFAULTS.clientThreads})
  --client KIND       sdk (the AWS SDK), light (SigV4 + smithy event-stream decoder) or both (default both)
  --profile DIR       profile each server for one more window per client; write DIR/<client>-<server>.cpuprofile
  --streams N         concurrent open streams for the memory bench (default ${MEMORY_DEFAULTS.streams})
  --hold MS           how long the mock holds them open (default ${MEMORY_DEFAULTS.holdMs})`;

function positive(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number >= 1, got '${text}'\n\n${BENCH_USAGE}`);
  return value;
}

function clientKinds(text: string | undefined): ClientKind[] {
  if (text === undefined || text === 'both') return [...CLIENT_KINDS];
  const kind = CLIENT_KINDS.find((k) => k === text);
  if (!kind) throw new Error(`--client must be sdk, light or both, got '${text}'\n\n${BENCH_USAGE}`);
  return [kind];
}

/** Parses the flags; throws with the usage text on a bad one. */
export function parseBenchArgs(argv: string[], log: (line: string) => void = console.log): { throughput: ThroughputOptions; memory: MemoryOptions } {
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(['concurrency', 'duration', 'warmup', 'rounds', 'client-threads', 'client', 'profile', 'streams', 'hold']
      .map((name) => [name, { type: 'string' as const }])),
  });
  const d = THROUGHPUT_DEFAULTS;
  return {
    throughput: {
      concurrency: positive('concurrency', values.concurrency, d.concurrency),
      durationMs: positive('duration', values.duration, d.durationMs),
      warmupMs: positive('warmup', values.warmup, d.warmupMs),
      rounds: positive('rounds', values.rounds, d.rounds),
      clientThreads: positive('client-threads', values['client-threads'], d.clientThreads),
      clients: clientKinds(values.client),
      profileDir: values.profile,
      log,
    },
    memory: {
      streams: positive('streams', values.streams, MEMORY_DEFAULTS.streams),
      holdMs: positive('hold', values.hold, MEMORY_DEFAULTS.holdMs),
      log,
    },
  };
}

/** Runs a bench entry point: exit code from `run`, 2 with the usage text on a bad flag or setup failure. */
export async function benchMain(run: (argv: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(message.includes('Usage:') ? message : `bench failed: ${message}\n\n${BENCH_USAGE}`);
    process.exitCode = 2;
  }
}
