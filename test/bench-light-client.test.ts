// The bench's light client against the AWS SDK: same requests as the mock sees them, same answers,
// same failures, and an event-stream decoder that gives the same events however the bytes are cut.
import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Message } from '@smithy/eventstream-codec';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { decodeMessage } from '../mock-bedrock/event-codec.ts';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { startMock, type RunningMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { benchClient, runFlow, sdkFlowClient, type FlowClient } from '../bench/bench-client.ts';
import { EventStreamReader } from '../bench/event-stream-reader.ts';
import { flowClient } from '../bench/flow-client.ts';
import { LightClient } from '../bench/light-client.ts';
import { CASSETTES_DIR, loadSeedFlow } from '../bench/seed-flow.ts';

const SEED_ID = 'seed-cohere-top-song-converse-stream';
const rounds = await loadSeedFlow();

async function withMock(run: (mock: RunningMock) => Promise<void>): Promise<void> {
  const mock = await startMock({ cassettesDir: CASSETTES_DIR, host: '127.0.0.1', port: 0 });
  try {
    await run(mock);
  } finally {
    await mock.close();
  }
}

async function outcomesOf(client: FlowClient) {
  try {
    const out = [];
    for (const round of rounds) out.push(await client.streamRound(round));
    return out;
  } finally {
    client.destroy();
  }
}

const signedHeaders = (authorization: unknown) => /SignedHeaders=([^,]+)/.exec(String(authorization))?.[1];

test.serial('light client › a light flow and an SDK flow get the same round outcomes, both SigV4-verified and answered from seed interactions 0 and 1', async (t) => {
  await withMock(async (mock) => {
    const from = mock.log.lastSeq;
    const light = await outcomesOf(flowClient('light', mock.url, 1));
    const sdk = await outcomesOf(flowClient('sdk', mock.url, 1));
    t.deepEqual(light, sdk);
    t.deepEqual(light, rounds.map((r) => r.expected));
    t.truthy(light[0]!.toolUse?.toolUseId, 'round 1 carries the tool call');
    const records = mock.log.since(from);
    t.deepEqual(records.map((r) => [r.sigv4?.ok, r.operation, r.cassetteId, r.interaction, r.status, r.outcome]), [
      [true, 'converse-stream', SEED_ID, 0, 200, 'complete'],
      [true, 'converse-stream', SEED_ID, 1, 200, 'complete'],
      [true, 'converse-stream', SEED_ID, 0, 200, 'complete'],
      [true, 'converse-stream', SEED_ID, 1, 200, 'complete'],
    ]);
    // The light request is the SDK's: same target, content type, signed headers and body.
    for (const i of [0, 1]) {
      const [lightRecord, sdkRecord] = [records[i]!, records[i + 2]!];
      t.is(lightRecord.target, sdkRecord.target);
      t.is(lightRecord.headers['content-type'], 'application/json');
      t.is(sdkRecord.headers['content-type'], 'application/json');
      t.is(signedHeaders(lightRecord.headers.authorization), signedHeaders(sdkRecord.headers.authorization));
      t.deepEqual(JSON.parse(Buffer.from(lightRecord.body).toString('utf8')), JSON.parse(Buffer.from(sdkRecord.body).toString('utf8')));
    }
  });
});

const FAULTS: { name: string; plan: FaultPlan }[] = [
  { name: 'cut 10 bytes into frame 3', plan: { truncate: { frame: 3, bytes: 10 } } },
  { name: 'ended cleanly before frame 3', plan: { truncate: { frame: 3, bytes: 0 } } },
  { name: 'mid-stream exception', plan: { exception: { frame: 3, type: 'modelStreamErrorException', message: 'boom' } } },
  { name: 'bad message CRC', plan: { corruptCrc: { frame: 2, which: 'message' } } },
  { name: 'connection reset', plan: { reset: { frame: 2, bytes: 5 } } },
  { name: 'HTTP error', plan: { httpError: { type: 'ThrottlingException', message: 'slow down' } } },
];

test.serial('light client › every fault fails the flow with the same reason as the SDK, and a dripped stream still passes', async (t) => {
  await withMock(async (mock) => {
    const flowWith = async (kind: 'sdk' | 'light', plan: FaultPlan) => {
      const remove = mock.faults.add({ cassetteId: SEED_ID, interaction: 0, plan });
      const client = flowClient(kind, mock.url, 1);
      try {
        return await runFlow(client, rounds);
      } finally {
        client.destroy();
        remove();
      }
    };
    for (const { name, plan } of FAULTS) {
      const [light, sdk] = [await flowWith('light', plan), await flowWith('sdk', plan)];
      t.false(light.ok, name);
      t.deepEqual(light, sdk, name);
    }
    t.deepEqual(await flowWith('light', { split: { kind: 'drip', size: 3 }, gapMs: 1 }), { ok: true });
  });
});

test.serial('light client › a forged signature and a wrong answer fail the flow as they do with the SDK', async (t) => {
  await withMock(async (mock) => {
    const wrongSecret = { accessKeyId: DEFAULT_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' };
    const forgedLight = new LightClient(mock.url, 1, wrongSecret);
    const forgedSdk = sdkFlowClient(new BedrockRuntimeClient({
      endpoint: mock.url, region: DEFAULT_REGION, credentials: wrongSecret, maxAttempts: 1, requestHandler: new NodeHttpHandler(),
    }));
    const sdk = sdkFlowClient(benchClient(mock.url, 1));
    const light = new LightClient(mock.url, 1);
    try {
      const forged = await runFlow(forgedLight, rounds);
      t.regex(forged.ok ? '' : forged.reason, /^round 1: InvalidSignatureException: /);
      // The mock's diagnostic after the first line shows each request's own canonical form.
      const firstLine = (outcome: Awaited<ReturnType<typeof runFlow>>) => (outcome.ok ? '' : outcome.reason.split('\n')[0]);
      t.is(firstLine(forged), firstLine(await runFlow(forgedSdk, rounds)));
      const swapped = [{ ...rounds[0]!, body: rounds[1]!.body }];
      const wrong = await runFlow(light, swapped);
      t.regex(wrong.ok ? '' : wrong.reason, /^round 1: got .*Elemental Hotel/);
      t.deepEqual(wrong, await runFlow(sdk, swapped));
    } finally {
      for (const client of [forgedLight, forgedSdk, sdk, light]) client.destroy();
    }
  });
});

/** A decoded message in a comparable form (the body's bytes as hex, whatever its buffer type). */
const comparable = (m: Message) => ({ headers: m.headers, body: Buffer.from(m.body).toString('hex') });

/** Feeds `stream` to a fresh reader cut at `cuts` (sorted offsets); the messages and leftover byte count. */
function readCut(stream: Uint8Array, cuts: number[]) {
  const reader = new EventStreamReader();
  const messages: Message[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    messages.push(...reader.push(Buffer.from(stream.subarray(at, cut))));
    at = cut;
  }
  return { events: messages.map(comparable), pending: reader.pending };
}

const streams = rounds.map((r) => ({ stream: Buffer.concat(r.frames), whole: r.frames.map((f) => comparable(decodeMessage(f))) }));

test('light client › the decoder yields the recorded events for the seed stream cut at every byte offset', (t) => {
  for (const [i, { stream, whole }] of streams.entries()) {
    t.is(whole.length, rounds[i]!.frames.length);
    for (let cut = 0; cut <= stream.length; cut++) {
      const got = readCut(stream, [cut]);
      if (!isDeepStrictEqual(got, { events: whole, pending: 0 })) return t.fail(`round ${i + 1} cut at byte ${cut}: ${JSON.stringify(got).slice(0, 300)}`);
    }
  }
  t.pass();
});

test('light client › the decoder yields the same events for any list of cuts, and holds back a frame cut short (property)', (t) => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  t.log(`seed=${seed}`);
  const { stream, whole } = { stream: Buffer.concat(streams.map((s) => s.stream)), whole: streams.flatMap((s) => s.whole) };
  const lastFrame = rounds[1]!.frames.at(-1)!.length;
  const cutLists = fc.uniqueArray(fc.integer({ min: 0, max: stream.length }), { maxLength: 60 }).map((cuts) => [...cuts].sort((a, b) => a - b));
  fc.assert(fc.property(cutLists, fc.integer({ min: 0, max: lastFrame - 1 }), (cuts, dropped) => {
    const cut = stream.subarray(0, stream.length - dropped);
    const got = readCut(cut, cuts.filter((c) => c <= cut.length));
    const want = dropped === 0 ? { events: whole, pending: 0 } : { events: whole.slice(0, -1), pending: lastFrame - dropped };
    return isDeepStrictEqual(got, want);
  }), { seed, numRuns: 300 });
  t.pass();
});
