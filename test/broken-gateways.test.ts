import test from 'ava';
import { randomInt } from 'node:crypto';
import { STREAM_EXCEPTION_TYPES } from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import { GATEWAY_FLAWS, type GatewayFlaw } from '../runner/gateway-flaws.ts';
import { DEFAULT_RUNS, PACKAGE_CASSETTES_DIR, parseRunArgs } from '../runner/run-args.ts';
import { runConformance } from '../runner/run-conformance.ts';
import { SUITES } from '../runner/suite-registry.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);

/** For each flaw: the suites to run, and the checks that exist to catch it, with what they must say. */
const MEANT_FOR: Record<GatewayFlaw, { suites: string[]; failing: [id: string, message: RegExp][] }> = {
  'no-resign': {
    suites: ['sigv4', 'credentials'],
    failing: [
      ['sigv4/re-signing', /re-signed request did not verify; minimal case: .*the mock rejected/],
      ['credentials/long-term', /the upstream received the client's access key id/],
      ['credentials/temporary', /the upstream received the client's (access key id|session token)/],
      ['credentials/bearer', /the upstream received the client's Bearer API key/],
    ],
  },
  'single-encoded-path': {
    suites: ['sigv4'],
    failing: [['sigv4/re-signing', /model id 'cohere\.command-r-v1:0'.*signed the path singly-encoded .*canonical path is '\/model\/cohere\.command-r-v1%253A0\/converse' \(double-encoded\)/]],
  },
  'buffer-response': {
    suites: ['no-buffering'],
    failing: [
      ['no-buffering/converse-stream', /first event .* after the mock sent the last frame: the gateway buffered the stream/],
      ['no-buffering/invoke-with-response-stream', /the gateway buffered the stream/],
    ],
  },
  'rechunk-utf8': {
    suites: ['chunking'],
    failing: [['chunking/split-plans/claude-multibyte-long-text-converse-stream', /minimal case: .*(inside a multi-byte UTF-8 character|one byte per write).*the client's events differ/]],
  },
  'drop-exceptions': {
    suites: ['errors'],
    failing: STREAM_EXCEPTION_TYPES.flatMap((type): [string, RegExp][] => [
      [`errors/stream/${type}/first-frame`, new RegExp(`the ${type} frame as the first frame was lost: the client saw clean end`)],
      [`errors/stream/${type}/after-events`, new RegExp(`the ${type} frame after \\d+ events was lost: the client saw clean end`)],
    ]),
  },
  'leak-client-headers': {
    suites: ['credentials'],
    failing: [['credentials/temporary', /the upstream received the client's session token in header x-amz-security-token/]],
  },
  'host-without-port': {
    suites: ['sigv4'],
    failing: [['sigv4/re-signing', /the mock rejected the re-signed request: .*host signed without port \d+/]],
  },
};

async function run(flaws: GatewayFlaw[], suiteIds?: string[], acceptHostWithoutPort = false): Promise<CheckResult[]> {
  const suites = suiteIds ? SUITES.filter((s) => suiteIds.includes(s.id)) : SUITES;
  const results = await runConformance({
    gateway: { kind: 'builtin', flaws }, mockPort: 0, suites, seed: SEED, runs: DEFAULT_RUNS, http2: false, cassettesDir: PACKAGE_CASSETTES_DIR, acceptHostWithoutPort,
  });
  return results.checks;
}

test.serial('broken gateways › the reference gateway passes every check of every suite', async (t) => {
  t.log(`seed=${SEED}`);
  const checks = await run([]);
  t.true(checks.length > 0);
  for (const suite of SUITES) t.true(checks.some((c) => c.suite === suite.id), `${suite.id} ran`);
  const notPassing = checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.id}: ${c.message}`);
  t.deepEqual(notPassing, []);
});

test('broken gateways › every flaw has the checks meant for it named here', (t) => {
  t.deepEqual(Object.keys(MEANT_FOR).sort(), [...GATEWAY_FLAWS].sort());
  for (const { suites } of Object.values(MEANT_FOR)) for (const id of suites) t.true(SUITES.some((s) => s.id === id), id);
});

// One run at a time: the chunking property drips streams byte by byte under a 5 s call timeout,
// and on a loaded machine a timeout can replace the corruption as fast-check's minimal failure.
for (const flaw of GATEWAY_FLAWS) {
  test.serial(`broken gateways › flaw ${flaw} fails the checks meant for it, with a clear message`, async (t) => {
    t.log(`seed=${SEED}`);
    const { suites, failing } = MEANT_FOR[flaw];
    const checks = await run([flaw], suites);
    for (const [id, message] of failing) {
      const check = checks.find((c) => c.id === id);
      if (!check) {
        t.fail(`no check ${id}; checks: ${checks.map((c) => c.id).join(', ')}`);
        continue;
      }
      t.is(check.status, 'fail', `${id}: ${check.message}`);
      t.regex(check.message, message, id);
    }
  });
}

test.serial('broken gateways › with --accept-host-without-port, a host signed without its port is one finding, not 403s', async (t) => {
  t.log(`seed=${SEED}`);
  const parsed = parseRunArgs(['--gateway', 'builtin:host-without-port', '--accept-host-without-port', '--seed', String(SEED)], SUITES);
  t.true(parsed.options.acceptHostWithoutPort);
  t.regex(parsed.replay, /--accept-host-without-port/);
  const checks = await run(['host-without-port'], ['sigv4'], true);
  const byId = new Map(checks.map((c) => [c.id, c]));
  t.is(byId.get('sigv4/re-signing')?.status, 'pass', byId.get('sigv4/re-signing')?.message);
  t.is(byId.get('sigv4/host-with-port')?.status, 'fail');
  t.regex(byId.get('sigv4/host-with-port')?.message ?? '', /signs the host header without its port \(\d+ of \d+ accepted requests/);
});
