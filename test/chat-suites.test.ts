import test from 'ava';
import { randomInt } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, STREAM_EXCEPTION_TYPES } from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import type { GatewayProfile } from '../runner/gateway-profiles.ts';
import { createOpenAiChatDriver } from '../runner/openai-chat-driver.ts';
import { PACKAGE_CASSETTES_DIR } from '../runner/run-args.ts';
import { runConformance } from '../runner/run-conformance.ts';
import { CHAT_SUITES } from '../runner/suite-registry.ts';
import { chatRequestFor } from '../suites/openai-request.ts';
import { startTranslatingGateway, type TranslatingGatewayFlaw } from './support/translating-gateway.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
/** Property runs per check: enough to cut streams in many places, few enough for a loaded 2-CPU machine. */
const RUNS = 10;

/** The translating gateway as a profile, so runConformance drives it exactly as it drives Portkey. */
function translatorProfile(flaws: TranslatingGatewayFlaw[]): GatewayProfile {
  return {
    name: `sdk-translator${flaws.length ? `:${flaws.join(',')}` : ''}`,
    summary: 'test translator: OpenAI chat completions to Bedrock Converse on the AWS SDK',
    mock: { acceptHostWithoutPort: false },
    async start(mock, credentials, region) {
      const gateway = await startTranslatingGateway({ upstreamUrl: mock.url, credentials, region, flaws });
      return { url: gateway.url, description: 'test translator on the AWS SDK', chat: createOpenAiChatDriver({ baseUrl: gateway.url }), close: gateway.close };
    },
  };
}

async function run(flaws: TranslatingGatewayFlaw[], suiteIds?: string[]): Promise<CheckResult[]> {
  const suites = suiteIds ? CHAT_SUITES.filter((s) => suiteIds.includes(s.id)) : CHAT_SUITES;
  const results = await runConformance({
    gateway: { kind: 'profile', profile: translatorProfile(flaws) }, mockPort: 0, suites, seed: SEED, runs: RUNS, http2: false, cassettesDir: PACKAGE_CASSETTES_DIR,
  });
  return results.checks;
}

const byId = (checks: CheckResult[], id: string) => checks.find((c) => c.id === id);

test.serial('chat suites › a correct SDK-based translator passes every check of every chat suite', async (t) => {
  t.log(`seed=${SEED}`);
  const checks = await run([]);
  for (const suite of CHAT_SUITES) t.true(checks.some((c) => c.suite === suite.id), `${suite.id} ran`);
  const notPassing = checks.filter((c) => c.status !== 'pass').map((c) => `${c.status} ${c.id}: ${c.message}`);
  t.deepEqual(notPassing, []);
  for (const id of ['openai-chunking/one-byte-drip', 'openai-chunking/length-prefix-cuts', 'openai-sigv4/host-with-port', 'openai-no-buffering/converse-stream']) {
    t.is(byId(checks, id)?.status, 'pass', id);
  }
});

test.serial('chat suites › a translator that ends a broken stream with [DONE] fails every mid-stream check, and only those', async (t) => {
  t.log(`seed=${SEED}`);
  const checks = await run(['swallow-exceptions'], ['openai-errors']);
  for (const type of STREAM_EXCEPTION_TYPES) {
    const check = byId(checks, `openai-errors/mid-stream-${type}`);
    t.is(check?.status, 'fail', `${type}: ${check?.message}`);
    t.regex(check?.message ?? '', /never reached the client: the stream ended normally with data: \[DONE\]/, type);
  }
  const http = checks.filter((c) => c.id.startsWith('openai-errors/http-'));
  t.true(http.length >= 5);
  t.deepEqual(http.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`), []);
});

test.serial('chat suites › a translator that buffers the stream fails the no-buffering check', async (t) => {
  t.log(`seed=${SEED}`);
  const checks = await run(['buffer'], ['openai-no-buffering']);
  const check = byId(checks, 'openai-no-buffering/converse-stream');
  t.is(check?.status, 'fail', check?.message);
  t.regex(check?.message ?? '', /buffered the stream/);
});

test('chat suites › the translator answers a malformed request with an OpenAI-shaped 400 and keeps serving', async (t) => {
  const gateway = await startTranslatingGateway({ upstreamUrl: 'http://127.0.0.1:9', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'unused' }, region: 'us-west-2' });
  t.teardown(() => gateway.close());
  const post = (body: string) => fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  for (const body of ['{not json', '[]', '{"model":"m","messages":"hi"}', '{"model":"m","messages":[{"role":"wizard","content":"x"}]}',
    '{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{oops"}}]}]}']) {
    const res = await post(body);
    t.is(res.status, 400, body);
    const parsed = await res.json() as { error?: { message?: unknown; type?: unknown } };
    t.is(typeof parsed.error?.message, 'string', body);
    t.is(parsed.error?.type, 'invalid_request_error', body);
  }
  const unreachable = await post('{"model":"m","messages":[{"role":"user","content":"hi"}]}');
  t.is(unreachable.status, 502);
});

/** Opens a streamed chat call and resolves once its first bytes arrived; `rest` settles when the response is over. */
function openStream(url: string, body: unknown): Promise<{ res: IncomingMessage; first: string; rest: Promise<{ text: string; aborted: boolean }> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/v1/chat/completions`, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      const rest = new Promise<{ text: string; aborted: boolean }>((done) => {
        res.on('close', () => done({ text, aborted: !res.complete }));
        res.on('error', () => {});
      });
      res.once('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        res.on('data', (more: Buffer) => { text += more.toString('utf8'); });
        resolve({ res, first: text, rest });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

test('chat suites › the translator survives a client that leaves mid-stream, and close() ends streams still in flight', async (t) => {
  const mock = await startMock({ cassettesDir: PACKAGE_CASSETTES_DIR, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION });
  t.teardown(() => mock.close());
  const cassetteId = 'seed-cohere-top-song-converse-stream';
  const recorded = mock.cassettes.find((c) => c.id === cassetteId)!.interactions[0]!.request;
  const body = chatRequestFor(recorded.modelId, recorded.body, true);
  mock.faults.add({ cassetteId, interaction: 0, plan: { delays: [{ frame: 3, ms: 4_000 }] }, times: 2 });
  const gateway = await startTranslatingGateway({ upstreamUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION });
  t.teardown(() => gateway.close());

  const leaving = await openStream(gateway.url, body);
  t.regex(leaving.first, /^data: \{/);
  leaving.res.destroy();
  const whole = await openStream(gateway.url, { ...body, stream: false });
  t.is(whole.res.statusCode, 200, 'a later call is still served after a client left mid-stream');

  const stuck = await openStream(gateway.url, body);
  const began = performance.now();
  await gateway.close();
  const ended = await stuck.rest;
  t.true(performance.now() - began < 2_000, "close() did not wait for the upstream's 4 s pause");
  t.true(ended.aborted || !ended.text.includes('[DONE]'), 'a stream cut by close() does not end as a whole answer');
});

// The SDK ends its iteration quietly when Bedrock's stream stops at a frame boundary, so the
// translator itself must notice the missing messageStop.
test('chat suites › a bad frame or a stream cut at a frame boundary reaches the client as an error, not [DONE]', async (t) => {
  const mock = await startMock({ cassettesDir: PACKAGE_CASSETTES_DIR, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION });
  t.teardown(() => mock.close());
  const gateway = await startTranslatingGateway({ upstreamUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION });
  t.teardown(() => gateway.close());
  const chat = createOpenAiChatDriver({ baseUrl: gateway.url });
  const cassetteId = 'seed-cohere-top-song-converse-stream';
  const recorded = mock.cassettes.find((c) => c.id === cassetteId)!.interactions[0]!.request;
  const plans: [FaultPlan, RegExp][] = [
    [{ corruptCrc: { frame: 3, which: 'message' } }, /checksum/],
    [{ truncate: { frame: 3, bytes: 10 } }, /[Tt]runcated/],
    [{ truncate: { frame: 3, bytes: 0 } }, /ended before messageStop/],
  ];
  for (const [plan, message] of plans) {
    const remove = mock.faults.add({ cassetteId, interaction: 0, plan });
    const obs = await chat.chat(chatRequestFor(recorded.modelId, recorded.body, true)).finally(remove);
    t.is(obs.error?.where, 'stream', JSON.stringify(plan));
    t.regex(obs.error?.message ?? '', message, JSON.stringify(plan));
    t.false(obs.sawDone, JSON.stringify(plan));
  }
});
