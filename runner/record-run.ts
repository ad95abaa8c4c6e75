// One `record` run: drive each scenario through the recording proxy, write one cassette per
// scenario, and account for every cassette as new, kept, unused or missed.
import path from 'node:path';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { CASSETTE_VERSION, type Cassette, type CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { loadCassettes, writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { driveScenario, type DriveOutcome } from './drive-scenario.ts';
import { THROTTLE_ERRORS, explainBedrockError, retryThrottled } from './record-errors.ts';
import type { RecordScenario } from './record-scenarios.ts';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy.ts';
import { scrub } from './redact.ts';

/** `record` overwrites; `update` keeps cassettes that already exist for a scenario. */
export const RECORD_MODES = ['record', 'update'] as const;
export type RecordMode = (typeof RECORD_MODES)[number];

/** Everything one run needs; credentials come from the SDK chain in the CLI, from a test directly. */
export interface RecordRunOptions {
  region: string;
  upstream: string;
  out: string;
  mode: RecordMode;
  scenarios: RecordScenario[];
  credentials: AwsCredentialIdentityProvider;
  keepAccountIds?: boolean;
  /** Progress and retry notices (stderr in the CLI), already scrubbed. */
  log: (line: string) => void;
  /** Throttling retries; the CLI uses 5 attempts from 1 s. */
  retry?: { attempts: number; baseMs: number; sleep?: (ms: number) => Promise<void> };
  now?: () => Date;
}

/** The end-of-run accounting every run prints. */
export interface RecordReport {
  /** Cassette files written by this run. */
  written: { id: string; file: string }[];
  /** Existing cassettes left as they were because `update` found them. */
  kept: { id: string; file: string }[];
  /** Existing cassettes in --out that this run neither wrote nor kept. */
  unused: { id: string; file: string }[];
  /** Scenarios that failed to record, with why. */
  missed: { id: string; reason: string }[];
}

/** Where the upstream is, in words for `source.from`. */
export function describeUpstream(upstream: string): string {
  return new URL(upstream).host.replace(/\.amazonaws\.com$/, '');
}

/** Cassettes already in `out`, by id; a missing directory is a first run, a broken file is logged. */
export async function existingCassettes(out: string, log: (line: string) => void): Promise<Map<string, string>> {
  const loaded = await loadCassettes(out);
  for (const problem of loaded.problems) if (!problem.includes('cannot read cassette directory')) log(problem);
  return new Map(loaded.cassettes.map((c) => [c.id, c.file]));
}

/** Where a new cassette with this id goes: over the existing file, else `out/<id>.json`. */
export function cassetteFile(id: string, out: string, existing: Map<string, string>): string {
  return existing.get(id) ?? path.join(out, `${id.replace(/[/:]/g, '-')}.json`);
}

/** A recorded cassette with its provenance filled in. */
export function recordedCassette(id: string, description: string, interactions: CassetteInteraction[], upstream: string, at: Date): Cassette {
  return {
    version: CASSETTE_VERSION,
    id,
    description,
    source: { origin: 'recorded', from: `${describeUpstream(upstream)} via bedrock-conformance record`, recordedAt: at.toISOString() },
    interactions,
  };
}

/** Existing cassettes this run neither wrote nor kept. */
export function unusedCassettes(existing: Map<string, string>, touched: string[]): { id: string; file: string }[] {
  return [...existing].filter(([id]) => !touched.includes(id)).map(([id, file]) => ({ id, file }));
}

type Attempt = { ok: true; interactions: CassetteInteraction[] } | { ok: false; reason: string; throttled?: string };

async function attempt(scenario: RecordScenario, proxy: RecordingProxy, options: RecordRunOptions): Promise<Attempt> {
  proxy.take();
  const outcome: DriveOutcome = await driveScenario(scenario, proxy.url, options.region);
  const exchanges = proxy.take();
  const failure = exchanges.find((e) => e.failure);
  if (failure) return { ok: false, reason: `${failure.label}: ${failure.failure}` };
  if (!outcome.ok) {
    const modelId = scenario.kind === 'conversation' ? scenario.modelId : scenario.requests[0]?.request.modelId ?? '';
    const reason = explainBedrockError(outcome.errorType, outcome.message, modelId, options.region);
    return { ok: false, reason, throttled: THROTTLE_ERRORS.includes(outcome.errorType) ? outcome.errorType : undefined };
  }
  const interactions = exchanges.flatMap((e) => (e.interaction ? [e.interaction] : []));
  if (interactions.length === 0) return { ok: false, reason: 'no Bedrock request went through the proxy' };
  return { ok: true, interactions };
}

/** Records every scenario and reports what happened; never throws for a scenario that fails. */
export async function recordRun(options: RecordRunOptions): Promise<RecordReport> {
  const existing = await existingCassettes(options.out, options.log);
  const report: RecordReport = { written: [], kept: [], unused: [], missed: [] };
  const proxy = await startRecordingProxy({
    upstream: options.upstream, region: options.region, credentials: options.credentials, keepAccountIds: options.keepAccountIds,
  });
  const retry = options.retry ?? { attempts: 5, baseMs: 1000 };
  const now = options.now ?? (() => new Date());
  try {
    for (const scenario of options.scenarios) {
      const file = cassetteFile(scenario.id, options.out, existing);
      if (options.mode === 'update' && existing.has(scenario.id)) {
        report.kept.push({ id: scenario.id, file });
        continue;
      }
      options.log(`recording ${scenario.id}`);
      const result = await retryThrottled(scenario.id, () => attempt(scenario, proxy, options), { ...retry, log: options.log });
      if (!result.ok) {
        report.missed.push({ id: scenario.id, reason: scrub(result.reason) });
        continue;
      }
      await writeCassetteFile(file, recordedCassette(scenario.id, scenario.description, result.interactions, options.upstream, now()));
      report.written.push({ id: scenario.id, file });
    }
  } finally {
    await proxy.close();
  }
  report.unused = unusedCassettes(existing, [...report.written, ...report.kept].map((c) => c.id));
  return report;
}
