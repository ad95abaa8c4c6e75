import test, { type ExecutionContext } from 'ava';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { startMock, type RunningMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import type { ClientAuth, ObservedEvent } from '../suites/client-driver.ts';
import type { GatewayFlaw } from '../runner/gateway-flaws.ts';
import { startReferenceGateway } from '../runner/reference-gateway.ts';
import { createSdkDriver } from '../runner/sdk-driver.ts';
import { FINAL_TEXT, ROUND_ONE_BODY, ROUND_TWO_BODY, SEED_MODEL, seedFlowCassette } from './gateway-fixture.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const CLIENT = { accessKeyId: 'AKIDCLIENTDUMMY', secretAccessKey: 'client-dummy-secret' };
const CASSETTE = 'test-seed-flow';

async function setup(t: ExecutionContext, options: { http2?: boolean; flaws?: GatewayFlaw[] } = {}) {
  const mock = await startMock({ cassettes: [seedFlowCassette(CASSETTE)] });
  const gateway = await startReferenceGateway({ upstreamUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, flaws: options.flaws });
  t.teardown(async () => { await gateway.close(); await mock.close(); });
  const driver = createSdkDriver({ gatewayUrl: gateway.url, credentials: CLIENT, http2: options.http2 });
  return { mock, gateway, driver };
}

const textOf = (events: ObservedEvent[]) => events
  .map((e) => (e.value as { delta?: { text?: string } }).delta?.text ?? '').join('');

function toolInput(events: ObservedEvent[]): unknown {
  const parts = events.filter((e) => e.type === 'contentBlockDelta')
    .map((e) => (e.value as { delta?: { toolUse?: { input?: string } } }).delta?.toolUse?.input)
    .filter((input): input is string => input !== undefined);
  return JSON.parse(parts.join(''));
}

function upstreamAuth(mock: RunningMock): string[] {
  return mock.log.records.map((r) => String(r.headers.authorization ?? ''));
}

for (const http2 of [false, true]) {
  test(`reference gateway › the SDK completes the two-round converse-stream flow, re-signed and verified upstream (HTTP/${http2 ? '2' : '1.1'})`, async (t) => {
    const { mock, driver } = await setup(t, { http2 });
    const first = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY });
    t.is(first.error, undefined);
    t.is(first.status, 200);
    t.deepEqual(first.events.map((e) => e.type).slice(-2), ['messageStop', 'metadata']);
    t.deepEqual(toolInput(first.events), { sign: 'WZPZ' });

    const second = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_TWO_BODY });
    t.is(second.error, undefined);
    t.is(textOf(second.events), FINAL_TEXT);

    t.deepEqual(mock.log.records.map((r) => [r.sigv4?.ok, r.sigv4?.scheme, r.cassetteId, r.interaction]), [
      [true, 'sigv4', CASSETTE, 0],
      [true, 'sigv4', CASSETTE, 1],
    ]);
    for (const auth of upstreamAuth(mock)) {
      t.true(auth.startsWith(`AWS4-HMAC-SHA256 Credential=${DEFAULT_CREDENTIALS.accessKeyId}/`));
      t.false(auth.includes(CLIENT.accessKeyId));
    }
  });
}

test("reference gateway › temporary and Bearer client credentials are replaced, never forwarded", async (t) => {
  const { mock, driver } = await setup(t);
  const auths: ClientAuth[] = [
    { kind: 'sigv4', ...CLIENT, sessionToken: 'client-session-token-dummy' },
    { kind: 'bearer', token: 'ABSKY2xpZW50LWR1bW15LWtleQ==' },
  ];
  for (const auth of auths) {
    const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY, auth });
    t.is(obs.error, undefined, auth.kind);
  }
  const seen = JSON.stringify(mock.log.records.map((r) => r.headers));
  t.false(seen.includes('client-session-token-dummy'));
  t.false(seen.includes('ABSKY2xpZW50LWR1bW15LWtleQ=='));
  t.false(seen.includes(CLIENT.accessKeyId));
  t.deepEqual(mock.log.records.map((r) => r.sigv4?.ok), [true, true]);
});

async function faulted(t: ExecutionContext, plan: FaultPlan, flaws?: GatewayFlaw[]) {
  const { mock, driver } = await setup(t, { flaws });
  mock.faults.add({ cassetteId: CASSETTE, plan });
  const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_TWO_BODY, timeoutMs: 5_000 });
  mock.faults.add({ cassetteId: CASSETTE, plan });
  const raw = await driver.raw({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_TWO_BODY, timeoutMs: 5_000 });
  return { obs, raw, mock };
}

test('reference gateway › an upstream reset mid-stream reaches the client as an error, promptly', async (t) => {
  const { obs, raw } = await faulted(t, { reset: { frame: 3, bytes: 5 } });
  t.truthy(obs.error);
  t.not(obs.error?.name, 'Timeout');
  t.true(obs.endedAt - obs.sentAt < 2_000);
  t.deepEqual(obs.events.map((e) => e.type), ['messageStart', 'contentBlockDelta', 'contentBlockDelta']);
  t.regex(raw.error ?? '', /aborted/);
});

test('reference gateway › an upstream that ends cleanly 2 bytes into a frame is not passed on as a clean end', async (t) => {
  // The SDK itself ends silently when a stream stops 1-3 bytes into a frame (WIRE.md): the gateway must not.
  const { obs, raw } = await faulted(t, { truncate: { frame: 3, bytes: 2 } });
  t.truthy(obs.error);
  t.not(obs.error?.name, 'Timeout');
  t.regex(raw.error ?? '', /aborted/);
});

test('reference gateway › frames are passed on as they arrive, not when the response ends', async (t) => {
  const { obs, mock } = await faulted(t, { delays: [{ frame: 4, ms: 600 }] });
  t.is(obs.error, undefined);
  t.is(obs.events.length, 7);
  // The mock and the client share the performance.now() clock: compare with when frame 4 was written.
  const writes = mock.log.records[0]!.writes;
  const delayed = writes.find((w) => w.framesDone >= 5)!;
  t.true(obs.events[3]!.t < delayed.t, `event 3 at ${obs.events[3]!.t}, frame 4 written at ${delayed.t}`);
  t.true(obs.events[4]!.t >= delayed.t);
});

test('reference gateway › a mid-stream exception reaches the client as that exception', async (t) => {
  const { obs } = await faulted(t, { exception: { frame: 2, type: 'modelStreamErrorException' } });
  t.is(obs.error?.name, 'ModelStreamErrorException');
  t.is(obs.events.length, 2);
});

test('reference gateway › flaw drop-exceptions ends the stream cleanly without the exception', async (t) => {
  const { obs, raw } = await faulted(t, { exception: { frame: 2, type: 'modelStreamErrorException' } }, ['drop-exceptions']);
  t.is(obs.error, undefined);
  t.is(obs.events.length, 2);
  t.is(raw.error, undefined);
});

test('reference gateway › flaw rechunk-utf8 mangles exactly the characters split across reads', async (t) => {
  const whole = await faulted(t, { split: { kind: 'frames' } }, ['rechunk-utf8']);
  t.is(textOf(whole.obs.events), FINAL_TEXT);
  const dripped = await faulted(t, { split: { kind: 'drip', size: 1 } }, ['rechunk-utf8']);
  t.is(dripped.obs.error, undefined);
  const text = textOf(dripped.obs.events);
  t.not(text, FINAL_TEXT);
  t.true(text.includes('\uFFFD'));
  t.is(text.replace(/\uFFFD+/g, ''), FINAL_TEXT.replace(/[^\x00-\x7F]/g, ''));
});

test('reference gateway › flaws single-encoded-path and no-resign are rejected by the SigV4 verifier', async (t) => {
  for (const flaw of ['single-encoded-path', 'no-resign'] as const) {
    const { mock, driver } = await setup(t, { flaws: [flaw] });
    const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY });
    t.truthy(obs.error, flaw);
    t.is(obs.error?.status, 403, flaw);
    t.false(mock.log.records[0]!.sigv4!.ok, flaw);
  }
});

test('reference gateway › only POST /model/... is routed', async (t) => {
  const { gateway } = await setup(t);
  const res = await fetch(`${gateway.url}/health`);
  t.is(res.status, 404);
  t.regex(((await res.json()) as { message: string }).message, /no route/);
});
