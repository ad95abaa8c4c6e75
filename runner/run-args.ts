// `run` flags parsed at the boundary: argv in, a typed RunOptions (plus report dir) out, or a
// CliError (exit 2) that says which flag is wrong and what it accepts.
import { randomInt } from 'node:crypto';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Suite } from '../suites/suite.ts';
import { CliError } from './cli-error.ts';
import { parseFlaws } from './gateway-flaws.ts';
import { profileNamed } from './gateway-profiles.ts';
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
  /** Compare the results with this baseline file: the exit code then says whether anything changed. */
  baseline?: string;
  /** Write the results as the new baseline (to `baseline`). */
  updateBaseline: boolean;
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
        profile: { type: 'string' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean', default: false },
        'mock-host': { type: 'string' },
        'accept-host-without-port': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}. See 'bedrock-conformance run --help'.`);
  }
  if (values.profile !== undefined && values.gateway !== undefined) throw new CliError('--profile and --gateway both name the gateway under test; give one');
  if (values['update-baseline'] && values.baseline === undefined) throw new CliError('--update-baseline needs --baseline FILE (where to write it)');
  const gateway: GatewayChoice = values.profile !== undefined ? { kind: 'profile', profile: profileNamed(values.profile) } : parseGateway(values.gateway);
  // A profile's gateway speaks its own client API; only the suites written for that API apply.
  const api = gateway.kind === 'profile' ? 'openai' : 'bedrock';
  const applicable = known.filter((suite) => (suite.api ?? 'bedrock') === api);
  const mockPort = values['mock-port'] !== undefined
    ? parsePort(values['mock-port'], '--mock-port')
    : gateway.kind === 'external' ? EXTERNAL_MOCK_PORT : 0;
  const mockHost = values['mock-host'] ?? '127.0.0.1';
  if (isIP(mockHost) === 0 && !/^[A-Za-z0-9.-]+$/.test(mockHost)) throw new CliError(`--mock-host must be an IP address or host name of this machine, got '${mockHost}'`);
  const wanted = values.suite ?? [];
  const unknown = wanted.filter((id) => !applicable.some((suite) => suite.id === id));
  if (unknown.length > 0) {
    throw new CliError(`unknown suite '${unknown.join("', '")}'. Suites: ${applicable.map((suite) => suite.id).join(', ')}`);
  }
  const suites = wanted.length === 0 ? [...applicable] : applicable.filter((suite) => wanted.includes(suite.id));
  const seed = values.seed !== undefined ? integer(values.seed, '--seed', 0, 2 ** 31 - 1) : randomInt(2 ** 31 - 1);
  const runs = integer(values.runs, '--runs', 1, 100_000);
  const replay = [
    'bedrock-conformance run',
    ...(values.gateway !== undefined ? [`--gateway ${values.gateway}`] : []),
    ...(values.profile !== undefined ? [`--profile ${values.profile}`] : []),
    ...wanted.map((id) => `--suite ${id}`),
    `--seed ${seed}`,
    `--runs ${runs}`,
    ...(values.http2 ? ['--http2'] : []),
    ...(values['accept-host-without-port'] ? ['--accept-host-without-port'] : []),
  ].join(' ');
  return {
    options: {
      gateway,
      mockPort,
      mockHost,
      acceptHostWithoutPort: values['accept-host-without-port'],
      suites,
      seed,
      runs,
      http2: values.http2,
      cassettesDir: values.cassettes !== undefined ? resolve(values.cassettes) : PACKAGE_CASSETTES_DIR,
    },
    reportDir: resolve(values['report-dir']),
    replay,
    ...(values.baseline !== undefined ? { baseline: resolve(values.baseline) } : {}),
    updateBaseline: values['update-baseline'],
  };
}
