// The benchmarks run end to end with tiny numbers: every server gives the seed flow's recorded
// answers through the AWS SDK and the light client, the memory bench holds its streams open. No
// timing is asserted.
import test from 'ava';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { parseBenchArgs } from '../bench/bench-args.ts';
import { benchClient, runFlow, sdkFlowClient } from '../bench/bench-client.ts';
import { runMemory } from '../bench/mock-memory.ts';
import { BENCH_SERVERS, runThroughput } from '../bench/mock-throughput.ts';
import { summarizeProfile, type CpuProfile } from '../bench/profile-summary.ts';
import { loadSeedFlow } from '../bench/seed-flow.ts';
import { spawnServer } from '../bench/spawn-server.ts';

test.serial('bench smoke › throughput drives the two-round flow through mock, bare and aimock with each client kind without a wrong answer', async (t) => {
  const report = await runThroughput({ concurrency: 2, durationMs: 500, warmupMs: 200, rounds: 1, clientThreads: 1, clients: ['sdk', 'light'], log: (line) => t.log(line) });
  t.deepEqual(report.clients.map((c) => c.client), ['sdk', 'light']);
  t.is(report.errors, 0);
  for (const client of report.clients) {
    t.is(client.errors, 0, client.windows.find((w) => w.firstError)?.firstError);
    for (const { name } of BENCH_SERVERS) {
      t.true(client.median[name].flowsPerSec > 0, `${client.client}: ${name} finished no flow`);
      t.true(client.median[name].serverMicrosPerFlow > 0, `${client.client}: ${name} CPU was not read`);
    }
  }
  const line = /^\[(.+)\] mock \d+ flows\/s, bare \d+ flows\/s, aimock \d+ flows\/s; mock\/bare = \d+\.\d\d \(target >= 0\.7\), mock\/aimock = \d+\.\d\d \(target > 1\)$/;
  t.deepEqual(report.clients.map((c) => line.exec(c.summary)?.[1]), ['AWS SDK client', 'light client: SigV4 + smithy event-stream decoder']);
});

test('bench smoke › --client picks the client kinds, both by default, and rejects anything else', (t) => {
  t.deepEqual(parseBenchArgs([]).throughput.clients, ['sdk', 'light']);
  t.deepEqual(parseBenchArgs(['--client', 'both']).throughput.clients, ['sdk', 'light']);
  t.deepEqual(parseBenchArgs(['--client', 'light', '--rounds', '2']).throughput.clients, ['light']);
  t.deepEqual(parseBenchArgs(['--client', 'sdk']).throughput.clients, ['sdk']);
  t.throws(() => parseBenchArgs(['--client', 'curl']), { message: /--client must be sdk, light or both, got 'curl'[\s\S]*Usage:/ });
});

test.serial('bench smoke › the benchmarked mock checks SigV4, and a flow with a wrong answer counts as failed', async (t) => {
  const rounds = await loadSeedFlow();
  const mock = await spawnServer('mock', 'serve-mock.ts');
  const client = sdkFlowClient(benchClient(mock.url, 1));
  const forger = sdkFlowClient(new BedrockRuntimeClient({
    endpoint: mock.url,
    region: DEFAULT_REGION,
    credentials: { accessKeyId: DEFAULT_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler(),
  }));
  try {
    t.deepEqual(await runFlow(client, rounds), { ok: true });
    const forged = await runFlow(forger, rounds);
    t.regex(forged.ok ? '' : forged.reason, /^round 1: InvalidSignatureException/);
    const swapped = await runFlow(client, [{ ...rounds[0]!, body: rounds[1]!.body }]);
    t.regex(swapped.ok ? '' : swapped.reason, /^round 1: got .*Elemental Hotel/);
  } finally {
    client.destroy();
    forger.destroy();
    await mock.stop();
  }
});

test.serial('bench smoke › memory holds every stream open in a separate mock process and reads its RSS', async (t) => {
  const report = await runMemory({ streams: 20, holdMs: 60_000, log: (line) => t.log(line) });
  t.is(report.open, 20);
  t.true(report.rssBytes > 10 * 1024 * 1024 && report.rssBytes > report.heapUsedBytes, `implausible RSS ${report.rssBytes}`);
  t.regex(report.summary, /^20 open streams: mock RSS \d+ MB \(target < 256 MB\)$/);
});

/** A profile whose stacks are root → frames…, each sampled for `us` microseconds. */
function profileOf(stacks: { frames: [string, string][]; us: number }[]): CpuProfile {
  const nodes: CpuProfile['nodes'] = [{ id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [] }];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (const { frames, us } of stacks) {
    let parent = nodes[0]!;
    for (const [functionName, url] of frames) {
      const node = { id: nodes.length + 1, callFrame: { functionName, url, lineNumber: 0 }, children: [] as number[] };
      parent.children!.push(node.id);
      nodes.push(node);
      parent = node;
    }
    samples.push(parent.id);
    timeDeltas.push(us);
  }
  return { nodes, samples, timeDeltas };
}

test('bench smoke › a profile summary charges each sample to the first area on its stack and skips idle time', (t) => {
  const summary = summarizeProfile(profileOf([
    { frames: [['(idle)', '']], us: 9_000 },
    { frames: [['decideResponse', 'file:///r/mock-bedrock/decide-response.ts'], ['verify', 'file:///r/mock-bedrock/sigv4-verify.ts'], ['hash', 'node:crypto']], us: 3_000 },
    { frames: [['processImmediate', 'node:internal/timers'], ['writeStream', 'file:///r/mock-bedrock/response-writer.ts'], ['writev', '']], us: 2_000 },
    { frames: [['answer', 'file:///r/bench/child-report.ts'], ['dispatch', '']], us: 5_000 },
    { frames: [['(garbage collector)', '']], us: 1_000 },
  ]));
  t.is(summary.busyMs, 6);
  t.deepEqual(summary.areas, [
    { area: 'SigV4 verification', ms: 3 },
    { area: 'socket writes (writev)', ms: 2 },
    { area: 'garbage collection', ms: 1 },
  ]);
});
