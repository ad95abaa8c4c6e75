// One conformance run, independent of the terminal: start the mock, the gateway (built-in or
// probed), run the suites in order against them, and always close what was started.
import { loadCassettes } from '../mock-bedrock/cassette-load.ts';
import type { LoadedCassette } from '../mock-bedrock/cassette.ts';
import { startMock, type RunningMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { summarize, type CheckResult, type GatewayInfo, type RunResults } from '../reports/results.ts';
import type { ChatDriver } from '../suites/chat-driver.ts';
import type { CallSpec } from '../suites/client-driver.ts';
import type { Suite, SuiteContext } from '../suites/suite.ts';
import { CliError } from './cli-error.ts';
import { FLAW_DESCRIPTIONS, type GatewayFlaw } from './gateway-flaws.ts';
import type { GatewayProfile } from './gateway-profiles.ts';
import { gatewaySetupLines, probeGateway } from './gateway-target.ts';
import { startReferenceGateway } from './reference-gateway.ts';
import { createSdkDriver } from './sdk-driver.ts';

/** The gateway under test: the built-in one (optionally with deliberate flaws) or a URL. */
export type GatewayChoice =
  | { kind: 'builtin'; flaws: GatewayFlaw[] }
  | { kind: 'external'; url: string }
  | { kind: 'profile'; profile: GatewayProfile };

/** One run, fully decided: the CLI parses flags into this, tests build it directly. */
export interface RunOptions {
  gateway: GatewayChoice;
  /** Port for the mock (0 = any free port). */
  mockPort: number;
  /** Address the mock binds (127.0.0.1 unless a containerised gateway must reach it). */
  mockHost?: string;
  /** Accept a `host` signed without its port (Kong, Portkey), reporting it as a finding. */
  acceptHostWithoutPort?: boolean;
  suites: readonly Suite[];
  seed: number;
  runs: number;
  http2: boolean;
  cassettesDir: string;
}

/** What a front end (the CLI, a test) hears while the run goes on. */
export interface RunHooks {
  note?(line: string): void;
  suiteStart?(suite: Suite, index: number, total: number): void;
  check?(check: CheckResult): void;
  suiteEnd?(suite: Suite, checks: CheckResult[], durationMs: number): void;
}

/** The dummy credentials the runner's client signs with; a correct gateway never forwards them. */
export const CLIENT_DUMMY_CREDENTIALS = { accessKeyId: 'AKIDDUMMYCLIENT00000', secretAccessKey: 'dummy-client-secret-not-used-by-anything' } as const;

/** A request for the probe: the first recorded request, so a healthy gateway gets a real answer. */
function probeSpec(cassettes: LoadedCassette[]): CallSpec {
  const first = cassettes[0]?.interactions[0]?.request;
  return first ? { operation: first.operation, modelId: first.modelId, body: first.body } : { operation: 'converse', modelId: 'cohere.command-r-v1:0', body: { messages: [] } };
}

async function startMockOrExplain(options: RunOptions): Promise<RunningMock> {
  try {
    const acceptHostWithoutPort = options.acceptHostWithoutPort === true
      || (options.gateway.kind === 'profile' && options.gateway.profile.mock.acceptHostWithoutPort);
    return await startMock({ host: options.mockHost ?? '127.0.0.1', port: options.mockPort, cassettesDir: options.cassettesDir, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION, acceptHostWithoutPort });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`--mock-port ${options.mockPort} is in use; stop what holds it or pick another port`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new CliError(`--mock-host ${options.mockHost}: not an address of this machine (${code})`);
    if (code === 'EACCES') throw new CliError(`--mock-port ${options.mockPort}: permission denied (ports below 1024 need privileges)`);
    throw error;
  }
}

/** Runs one suite; a suite that throws becomes one failing check naming the crash. */
async function runSuite(suite: Suite, ctx: SuiteContext, hooks: RunHooks): Promise<CheckResult[]> {
  const reported: CheckResult[] = [];
  const suiteCtx: SuiteContext = { ...ctx, report: (check) => { reported.push(check); hooks.check?.(check); } };
  ctx.mock.faults.clear();
  let checks: CheckResult[];
  try {
    checks = await suite.run(suiteCtx);
  } catch (error) {
    const crash: CheckResult = {
      id: `${suite.id}/harness-error`,
      suite: suite.id,
      status: 'fail',
      message: `the suite itself crashed (a harness bug, not necessarily the gateway's): ${(error as Error)?.message ?? String(error)}`,
      evidence: String((error as Error)?.stack ?? error).split('\n').slice(0, 6),
    };
    suiteCtx.report(crash);
    checks = [...reported];
  }
  for (const check of checks) if (!reported.includes(check)) hooks.check?.(check);
  return checks;
}

/** Runs every suite in `options.suites` and returns the results; setup problems throw CliError. */
export async function runConformance(options: RunOptions, hooks: RunHooks = {}): Promise<RunResults> {
  const startedAt = new Date();
  const began = performance.now();
  const loaded = await loadCassettes(options.cassettesDir);
  for (const problem of loaded.problems) hooks.note?.(`cassette problem: ${problem}`);
  if (loaded.cassettes.length === 0) throw new CliError(`no usable cassettes in ${options.cassettesDir}; pass --cassettes DIR`);

  const credentials = { ...DEFAULT_CREDENTIALS };
  const mock = await startMockOrExplain(options);
  let closeGateway = async () => {};
  try {
    let gateway: GatewayInfo;
    let chat: ChatDriver | undefined;
    if (options.gateway.kind === 'profile') {
      const { profile } = options.gateway;
      hooks.note?.(`starting ${profile.summary}`);
      const started = await profile.start(mock, credentials, DEFAULT_REGION);
      closeGateway = started.close;
      chat = started.chat;
      gateway = { kind: `profile:${profile.name}`, url: started.url, description: started.description };
    } else if (options.gateway.kind === 'builtin') {
      const { flaws } = options.gateway;
      const started = await startReferenceGateway({ upstreamUrl: mock.url, credentials, region: DEFAULT_REGION, flaws });
      closeGateway = started.close;
      gateway = flaws.length === 0
        ? { kind: 'reference', url: started.url, description: 'built-in reference gateway (native Bedrock pass-through, re-signs, streams unbuffered)' }
        : { kind: 'reference-flawed', url: started.url, description: `built-in reference gateway with deliberate flaws: ${flaws.map((f) => `${f} (${FLAW_DESCRIPTIONS[f]})`).join('; ')}` };
    } else {
      gateway = { kind: 'external', url: options.gateway.url };
    }
    const driver = createSdkDriver({ gatewayUrl: gateway.url, credentials: { ...CLIENT_DUMMY_CREDENTIALS }, region: DEFAULT_REGION, http2: options.http2 });
    if (options.gateway.kind === 'external') {
      for (const line of gatewaySetupLines(mock.url, credentials, DEFAULT_REGION)) hooks.note?.(line);
      const probe = await probeGateway(gateway.url, driver, mock, probeSpec(loaded.cassettes));
      if (!probe.ok) throw new CliError(probe.reason);
      for (const line of probe.notes) hooks.note?.(`note: ${line}`);
    }
    const ctx: SuiteContext = {
      gatewayUrl: gateway.url,
      mock,
      client: driver,
      chat,
      cassettes: loaded.cassettes,
      upstreamCredentials: credentials,
      clientCredentials: { ...CLIENT_DUMMY_CREDENTIALS },
      seed: options.seed,
      runs: options.runs,
      report: () => {},
    };
    const checks: CheckResult[] = [];
    for (const [index, suite] of options.suites.entries()) {
      hooks.suiteStart?.(suite, index, options.suites.length);
      const t0 = performance.now();
      const suiteChecks = await runSuite(suite, ctx, hooks);
      checks.push(...suiteChecks);
      hooks.suiteEnd?.(suite, suiteChecks, performance.now() - t0);
    }
    return {
      version: 1,
      gateway,
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - began),
      seed: options.seed,
      runs: options.runs,
      checks,
      summary: summarize(checks),
    };
  } finally {
    await closeGateway();
    await mock.close();
  }
}
