// A real SuiteContext for the suite tests: the mock with the shipped cassettes, a test gateway
// (correct or flawed) in front of it, and the runner's SDK driver with dummy client credentials.
import { fileURLToPath } from 'node:url';
import { loadCassettes } from '../../mock-bedrock/cassette-load.ts';
import type { MockOptions } from '../../mock-bedrock/mock-options.ts';
import { startMock } from '../../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../../reports/results.ts';
import type { GatewayFlaw } from '../../runner/gateway-flaws.ts';
import { startReferenceGateway } from '../../runner/reference-gateway.ts';
import { createSdkDriver } from '../../runner/sdk-driver.ts';
import type { Suite, SuiteContext } from '../../suites/suite.ts';
import { startTestGateway, type TestGatewayFlaw } from './suite-test-gateway.ts';

const CASSETTES = fileURLToPath(new URL('../../cassettes', import.meta.url));

/** Dummy client credentials (not secrets): what a gateway must drop. */
export const CLIENT_CREDENTIALS = { accessKeyId: 'AKIDCLIENTDUMMY00001', secretAccessKey: 'client-dummy-secret-not-a-real-key-00001' };

/** The fast-check seed for this test process: FC_SEED when set (to replay), else a fresh one. */
export const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Math.floor(Math.random() * 2 ** 31);

export interface SuiteRun {
  results: CheckResult[];
  reported: CheckResult[];
  byId(id: string): CheckResult;
}

/**
 * Options: the test gateway's flaws, or `reference` (the runner's built-in gateway with these
 * flaws), or `direct` (the SDK straight at the mock); extra mock options; property runs.
 */
export interface HarnessOptions {
  flaws?: TestGatewayFlaw[];
  reference?: GatewayFlaw[];
  mock?: MockOptions;
  runs?: number;
  direct?: boolean;
}

/** Starts mock and gateway, runs `suite` once, stops both. */
export async function runSuite(suite: Suite, options: HarnessOptions = {}): Promise<SuiteRun> {
  const { cassettes } = await loadCassettes(CASSETTES);
  const mock = await startMock({ cassettesDir: CASSETTES, ...options.mock });
  const gateway = options.direct ? undefined
    : options.reference ? await startReferenceGateway({ upstreamUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, flaws: options.reference })
    : await startTestGateway(mock.url, options.flaws ?? []);
  const gatewayUrl = gateway?.url ?? mock.url;
  const clientCredentials = options.direct ? { ...DEFAULT_CREDENTIALS } : { ...CLIENT_CREDENTIALS };
  const reported: CheckResult[] = [];
  const ctx: SuiteContext = {
    gatewayUrl, mock, cassettes,
    client: createSdkDriver({ gatewayUrl, credentials: clientCredentials }),
    upstreamCredentials: { ...DEFAULT_CREDENTIALS },
    clientCredentials,
    seed: SEED, runs: options.runs ?? 15,
    report: (check) => reported.push(check),
  };
  try {
    const results = await suite.run(ctx);
    return {
      results, reported,
      byId(id) {
        const found = results.find((r) => r.id === id);
        if (!found) throw new Error(`no check ${id}; got ${results.map((r) => r.id).join(', ')}`);
        return found;
      },
    };
  } finally {
    await gateway?.close();
    await mock.close();
  }
}

/** One line per check, for t.log when a test fails. */
export function summary(results: readonly CheckResult[]): string {
  return results.map((r) => `${r.status.padEnd(4)} ${r.id}: ${r.message}`).join('\n');
}
