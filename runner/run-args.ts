// `run` flags parsed at the boundary: argv in, a typed RunOptions (plus report dir) out, or a
// CliError (exit 2) that says which flag is wrong and what it accepts.
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Suite } from '../suites/suite.ts';
import { CliError } from './cli-error.ts';
import { parseFlaws } from './gateway-flaws.ts';
import { parsePort } from './parse-port.ts';
import type { GatewayChoice, RunOptions } from './run-conformance.ts';

/** The shipped cassettes, found from this file so the CLI works from any directory. */
export const PACKAGE_CASSETTES_DIR = fileURLToPath(new URL('../cassettes/', import.meta.url));

/** Mock port when a user's gateway must be configured to reach it (DESIGN.md). */
export const EXTERNAL_MOCK_PORT = 4010;

/** Default fast-check runs per property. */
export const DEFAULT_RUNS = 25;

/** Everything `run` needs: the run itself, where the reports go, and the flags to replay it. */
export interface RunArgs {
  options: RunOptions;
  reportDir: string;
  replay: string;
}

/** Parses `--gateway`: `builtin`, `builtin:<flaw>[,<flaw>]`, or an http:// URL. */
export function parseGateway(value: string | undefined): GatewayChoice {
  if (value === undefined || value === 'builtin') return { kind: 'builtin', flaws: [] };
  if (value.startsWith('builtin:')) {
    const parsed = parseFlaws(value.slice('builtin:'.length));
    if (!parsed.ok) throw new CliError(`--gateway: ${parsed.reason}`);
    return { kind: 'builtin', flaws: parsed.flaws };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--gateway must be an http:// URL or builtin[:flaw], got '${value}'`);
  }
  if (url.protocol !== 'http:') throw new CliError(`--gateway: only http:// URLs are supported, got '${value}'`);
  return { kind: 'external', url: value.replace(/\/$/, '') };
}

function integer(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`${flag} must be an integer from ${min} to ${max}, got '${value}'`);
  }
  return n;
}

/** Parses `run`'s argv against the known suites. */
export function parseRunArgs(argv: string[], known: readonly Suite[]): RunArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        gateway: { type: 'string' },
        'mock-port': { type: 'string' },
        suite: { type: 'string', multiple: true },
        'report-dir': { type: 'string', default: 'conformance-report' },
        seed: { type: 'string' },
        runs: { type: 'string', default: String(DEFAULT_RUNS) },
        http2: { type: 'boolean', default: false },
        cassettes: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}. See 'bedrock-conformance run --help'.`);
  }
  const gateway = parseGateway(values.gateway);
  const mockPort = values['mock-port'] !== undefined
    ? parsePort(values['mock-port'], '--mock-port')
    : gateway.kind === 'external' ? EXTERNAL_MOCK_PORT : 0;
  const wanted = values.suite ?? [];
  const unknown = wanted.filter((id) => !known.some((suite) => suite.id === id));
  if (unknown.length > 0) {
    throw new CliError(`unknown suite '${unknown.join("', '")}'. Suites: ${known.map((suite) => suite.id).join(', ')}`);
  }
  const suites = wanted.length === 0 ? [...known] : known.filter((suite) => wanted.includes(suite.id));
  const seed = values.seed !== undefined ? integer(values.seed, '--seed', 0, 2 ** 31 - 1) : randomInt(2 ** 31 - 1);
  const runs = integer(values.runs, '--runs', 1, 100_000);
  const replay = [
    'bedrock-conformance run',
    ...(values.gateway !== undefined ? [`--gateway ${values.gateway}`] : []),
    ...wanted.map((id) => `--suite ${id}`),
    `--seed ${seed}`,
    `--runs ${runs}`,
    ...(values.http2 ? ['--http2'] : []),
  ].join(' ');
  return {
    options: {
      gateway,
      mockPort,
      suites,
      seed,
      runs,
      http2: values.http2,
      cassettesDir: values.cassettes !== undefined ? resolve(values.cassettes) : PACKAGE_CASSETTES_DIR,
    },
    reportDir: resolve(values['report-dir']),
    replay,
  };
}
