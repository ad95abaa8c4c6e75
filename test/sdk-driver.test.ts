import test from 'ava';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer, type Socket } from 'node:net';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { createSdkDriver } from '../runner/sdk-driver.ts';
import { ROUND_ONE_BODY, SEED_MODEL, seedFlowCassette } from './gateway-fixture.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ARN = 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123';

async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** A server that records each request (target, headers) and answers a Bedrock 400. */
async function recordingServer(): Promise<{ url: string; seen: IncomingMessage[]; close(): void }> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-ErrorType': 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/' });
      res.end('{"message":"recorded"}');
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => server.close() };
}

function signedHeaders(req: IncomingMessage): string {
  return /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))?.[1] ?? '';
}

test('sdk driver › raw() sends what the SDK sends: same path encoding and the same signed headers', async (t) => {
  const server = await recordingServer();
  t.teardown(server.close);
  const driver = createSdkDriver({ gatewayUrl: server.url, credentials: { accessKeyId: 'AKIDCLIENT', secretAccessKey: 'dummy', sessionToken: 'tok' } });
  for (const operation of ['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream'] as const) {
    const spec = { operation, modelId: ARN, body: { messages: [{ role: 'user', content: [{ text: 'é' }] }] } };
    const viaSdk = await driver.call(spec);
    const raw = await driver.raw(spec);
    t.is(viaSdk.error?.name, 'ValidationException', operation);
    t.is(raw.status, 400, operation);
    const [sdkReq, rawReq] = server.seen.slice(-2);
    t.is(rawReq!.url, sdkReq!.url, `${operation}: path`);
    t.is(signedHeaders(rawReq!), signedHeaders(sdkReq!), `${operation}: SignedHeaders`);
  }
  t.is(server.seen[0]!.url, `/model/${encodeURIComponent(ARN)}/converse`);
});

test('sdk driver › raw() and call() signatures verify at the mock, with long-term and temporary credentials', async (t) => {
  for (const sessionToken of [undefined, 'mock-session-token']) {
    const credentials = { ...DEFAULT_CREDENTIALS, sessionToken };
    const mock = await startMock({ cassettes: [seedFlowCassette()], credentials });
    t.teardown(() => mock.close());
    const driver = createSdkDriver({ gatewayUrl: mock.url, credentials });
    const raw = await driver.raw({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY });
    t.is(raw.status, 200, Buffer.from(raw.bytes).toString('utf8').slice(0, 300));
    t.true(raw.reads.length >= 1);
    t.is(raw.reads.reduce((n, r) => n + r.bytes, 0), raw.bytes.length);
    const viaSdk = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY });
    t.is(viaSdk.error, undefined);
    t.is(viaSdk.events.at(-1)?.type, 'metadata');
    t.deepEqual(mock.log.records.map((r) => r.sigv4?.ok), [true, true], `token=${sessionToken}`);
  }
});

test('sdk driver › HTTP errors carry the exception name, status and x-amzn-ErrorType', async (t) => {
  const mock = await startMock({ cassettes: [seedFlowCassette()] });
  t.teardown(() => mock.close());
  mock.faults.add({ cassetteId: 'test-seed-flow', plan: { httpError: { type: 'ModelNotReadyException' } } });
  const driver = createSdkDriver({ gatewayUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS } });
  const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY });
  t.is(obs.error?.name, 'ModelNotReadyException');
  t.is(obs.error?.status, 429);
  t.is(obs.error?.errorType, 'ModelNotReadyException:http://internal.amazon.com/coral/com.amazon.bedrock/');
  t.is(obs.events.length, 0);
});

test('sdk driver › a gateway that never answers is reported as Timeout, on time, by call() and raw()', async (t) => {
  const sockets: Socket[] = [];
  const server = createNetServer((socket) => { sockets.push(socket); socket.resume(); });
  const url = await listen(server);
  t.teardown(() => { for (const s of sockets) s.destroy(); server.close(); });
  for (const http2 of [false, true]) {
    const driver = createSdkDriver({ gatewayUrl: url, credentials: { accessKeyId: 'AKIDCLIENT', secretAccessKey: 'dummy' }, http2 });
    const obs = await driver.call({ operation: 'converse', modelId: SEED_MODEL, body: ROUND_ONE_BODY, timeoutMs: 300 });
    t.is(obs.error?.name, 'Timeout', `http2=${http2}`);
    t.true(obs.endedAt - obs.sentAt < 1_500, `took ${obs.endedAt - obs.sentAt} ms`);
  }
  const raw = await createSdkDriver({ gatewayUrl: url, credentials: { accessKeyId: 'AKIDCLIENT', secretAccessKey: 'dummy' } })
    .raw({ operation: 'converse', modelId: SEED_MODEL, body: ROUND_ONE_BODY, timeoutMs: 300 });
  t.regex(raw.error ?? '', /^Timeout/);
  t.is(raw.status, 0);
});

test('sdk driver › nothing listening is an error value, not an exception', async (t) => {
  const server = createServer();
  const url = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const driver = createSdkDriver({ gatewayUrl: url, credentials: { accessKeyId: 'AKIDCLIENT', secretAccessKey: 'dummy' } });
  const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY, timeoutMs: 2_000 });
  t.truthy(obs.error);
  t.not(obs.error?.name, 'Timeout');
  const raw = await driver.raw({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY, timeoutMs: 2_000 });
  t.regex(raw.error ?? '', /ECONNREFUSED/);
});

test('sdk driver › a stream that stalls midway is a Timeout that keeps the events received so far', async (t) => {
  const mock = await startMock({ cassettes: [seedFlowCassette()] });
  t.teardown(() => mock.close());
  // Generous bounds: under a loaded CI machine the first SDK request alone can take half a second.
  mock.faults.add({ cassetteId: 'test-seed-flow', plan: { delays: [{ frame: 3, ms: 8_000 }] } });
  const driver = createSdkDriver({ gatewayUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS } });
  const obs = await driver.call({ operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY, timeoutMs: 2_000 });
  t.is(obs.error?.name, 'Timeout');
  t.regex(obs.error?.message ?? '', /no end of response after 2000 ms \(3 events received\)/);
  t.deepEqual(obs.events.map((e) => e.type), ['messageStart', 'contentBlockDelta', 'contentBlockDelta']);
  t.true(obs.endedAt - obs.sentAt < 4_000);
});
