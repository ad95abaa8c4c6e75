// The recorder end to end, on 127.0.0.1 only: round trip through the mock, streaming pass-through,
// re-signing, record/update accounting and the standalone proxy.
import test from 'ava';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { loadCassettes, readCassetteFile, writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, EVENTSTREAM_CONTENT_TYPE } from '../mock-bedrock/wire-constants.ts';
import { driveScenario } from '../runner/drive-scenario.ts';
import { formatRecordReport } from '../runner/record-command.ts';
import { describeUpstream, recordRun } from '../runner/record-run.ts';
import { RECORD_SCENARIOS } from '../runner/record-scenarios.ts';
import { startRecordingProxy } from '../runner/recording-proxy.ts';
import { childEnv, runCli, signatureMatches, signedPost, spawnCli, startUpstream, topSongCassette } from './recorder-fixtures.ts';

const credentials = async () => ({ ...DEFAULT_CREDENTIALS });
async function temp(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recorder-test-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const streamFlow = RECORD_SCENARIOS.find((s) => s.id === 'top-song-converse-stream')!;
const converseFlow = RECORD_SCENARIOS.find((s) => s.id === 'top-song-converse')!;

test('record › round trip: every shipped cassette and both seed flows, recorded from the mock, replay byte-identical', async (t) => {
  const shipped = await loadCassettes('cassettes');
  t.deepEqual(shipped.problems, []);
  // Faults that cut or corrupt frames cannot be recorded as a cassette (the recorder reports them as missed).
  const drivable = shipped.cassettes.filter((c) => !c.faults?.truncate && !c.faults?.reset && !c.faults?.corruptCrc);
  t.true(drivable.length >= 10, `only ${drivable.length} shipped cassettes`);
  const dir = await temp(t);
  const original = await startMock({ cassettesDir: 'cassettes' });
  t.teardown(() => original.close());
  const ids = [...drivable.map((c) => c.id), streamFlow.id, converseFlow.id];
  const run = await runCli(['record', '--region', 'us-west-2', '--upstream', original.url, '--out', dir, ...ids.flatMap((id) => ['--scenario', id])],
    await childEnv(dir, { AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey }));
  t.is(run.code, 0, run.stdout + run.stderr);
  t.regex(run.stdout, new RegExp(`record: ${ids.length} new, 0 unused, 0 missed`));
  t.true(original.log.records.every((r) => r.sigv4?.ok !== false), 'the mock rejected a signature from the recording proxy');

  const recorded = await loadCassettes(dir);
  t.deepEqual(recorded.problems, []);
  t.is(recorded.cassettes.length, ids.length);
  const replay = await startMock({ cassettesDir: dir });
  t.teardown(() => replay.close());
  let compared = 0;
  for (const cassette of recorded.cassettes) {
    t.is(cassette.source.origin, 'recorded');
    t.is(cassette.source.from, `${describeUpstream(original.url)} via bedrock-conformance record`);
    for (const { request } of cassette.interactions) {
      const before = await signedPost(original.url, request.operation, request.modelId, request.body, DEFAULT_CREDENTIALS);
      const after = await signedPost(replay.url, request.operation, request.modelId, request.body, DEFAULT_CREDENTIALS);
      t.is(after.status, before.status, `${cassette.id}: status`);
      t.true(after.bytes.equals(before.bytes), `${cassette.id} ${request.operation}: replayed bytes differ from the original's`);
      compared += 1;
    }
  }
  const flows = recorded.cassettes.filter((c) => c.id.startsWith('top-song-'));
  t.deepEqual(flows.map((c) => c.interactions.length), [2, 2], 'each seed flow records both rounds');
  t.log(`${recorded.cassettes.length} cassettes, ${compared} interactions compared byte for byte`);
});

test('recording proxy › forwards the first frame before the upstream has sent the last', async (t) => {
  const cassette = topSongCassette('pass-through', 'converse-stream', 'cohere.command-r-v1:0');
  const events = cassette.interactions[0]!.response.events!;
  let clientSawFirst!: () => void;
  const firstSeen = new Promise<void>((resolve) => { clientSawFirst = resolve; });
  let lastSentAt = 0;
  const upstream = await startUpstream(async (_req, _body, res) => {
    res.writeHead(200, { 'content-type': EVENTSTREAM_CONTENT_TYPE });
    res.write(eventToFrame(events[0]!));
    // The rest waits until the client has the first event (or 3 s: a buffering proxy fails the test).
    await Promise.race([firstSeen, new Promise((resolve) => setTimeout(resolve, 3000))]);
    for (const event of events.slice(1)) res.write(eventToFrame(event));
    lastSentAt = performance.now();
    res.end();
  });
  const proxy = await startRecordingProxy({ upstream: upstream.url, region: 'us-west-2', credentials });
  t.teardown(async () => { await proxy.close(); await upstream.close(); });
  const client = new BedrockRuntimeClient({
    region: 'us-west-2', endpoint: proxy.url, maxAttempts: 1, requestHandler: new NodeHttpHandler(),
    credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
  });
  const out = await client.send(new ConverseStreamCommand({ modelId: 'cohere.command-r-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }));
  let firstAt = 0;
  let count = 0;
  for await (const event of out.stream!) {
    if (count++ === 0) {
      firstAt = performance.now();
      t.truthy(event.messageStart);
      clientSawFirst();
    }
  }
  client.destroy();
  t.is(count, events.length);
  t.true(firstAt > 0 && firstAt < lastSentAt, `first event at ${firstAt.toFixed(1)} ms, last frame sent at ${lastSentAt.toFixed(1)} ms`);
  const [exchange] = proxy.take();
  const recorded = exchange!.interaction!.response.events!;
  t.deepEqual(recorded.map((e) => Buffer.from(eventToFrame(e)).toString('hex')), events.map((e) => Buffer.from(eventToFrame(e)).toString('hex')));
  t.true(recorded[0]!.at <= recorded.at(-1)!.at);
});

test('recording proxy › drops the client credentials and re-signs with the real ones, raw path kept', async (t) => {
  const real = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: DEFAULT_CREDENTIALS.secretAccessKey, sessionToken: 'real-session-token-value' };
  const seen: { url?: string; token?: string; valid?: boolean; credential?: string } = {};
  const upstream = await startUpstream(async (req, body, res) => {
    Object.assign(seen, {
      url: req.url, token: req.headers['x-amz-security-token'], valid: await signatureMatches(req, body, real),
      credential: /Credential=([^/]+)\//.exec(String(req.headers.authorization))?.[1],
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"output":{"message":{"role":"assistant","content":[{"text":"ok"}]}},"stopReason":"end_turn"}');
  });
  const proxy = await startRecordingProxy({ upstream: upstream.url, region: 'us-west-2', credentials: async () => real });
  t.teardown(async () => { await proxy.close(); await upstream.close(); });
  const outcome = await driveScenario({ ...converseFlow, rounds: 1 }, proxy.url, 'us-west-2');
  t.deepEqual(outcome, { ok: true });
  t.is(seen.url, '/model/cohere.command-r-v1%3A0/converse');
  t.is(seen.credential, 'AKIDEXAMPLE');
  t.is(seen.token, real.sessionToken);
  t.true(seen.valid, 'the upstream could not verify the signature');
});

test('recording proxy › model ids sent with raw or encoded colons are signed the way the mock (AWS) checks them', async (t) => {
  const cassette = topSongCassette('colon', 'converse-stream', 'cohere.command-r-v1:0');
  const mock = await startMock({ cassettes: [cassette] });
  const proxy = await startRecordingProxy({ upstream: mock.url, region: 'us-west-2', credentials });
  t.teardown(async () => { await proxy.close(); await mock.close(); });
  for (const modelPath of ['cohere.command-r-v1:0', 'cohere.command-r-v1%3A0']) {
    const response = await fetch(`${proxy.url}/model/${modelPath}/converse-stream`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: 'AWS4-HMAC-SHA256 Credential=dummy/x' },
      body: JSON.stringify(cassette.interactions[0]!.request.body),
    });
    await response.arrayBuffer();
    t.is(response.status, 200, modelPath);
    t.is(mock.log.records.at(-1)?.target, `/model/${modelPath}/converse-stream`);
    t.true(mock.log.records.at(-1)?.sigv4?.ok, `${modelPath}: ${mock.log.records.at(-1)?.sigv4?.reason}`);
  }
  t.deepEqual(proxy.take().map((e) => e.interaction?.request.modelId), ['cohere.command-r-v1:0', 'cohere.command-r-v1:0']);
});

test('record › update keeps existing cassettes, record overwrites; the summary lists new, unused and missed', async (t) => {
  const mock = await startMock({ cassettes: [topSongCassette('fixture-stream', 'converse-stream', 'cohere.command-r-v1:0')] });
  t.teardown(() => mock.close());
  const dir = await temp(t);
  const stale = { ...topSongCassette(streamFlow.id, 'converse-stream', 'stale-model'), description: 'stale' };
  await writeCassetteFile(path.join(dir, `${streamFlow.id}.json`), stale);
  await writeCassetteFile(path.join(dir, 'old-unrelated.json'), { ...stale, id: 'old-unrelated' });
  const options = { region: 'us-west-2', upstream: mock.url, out: dir, credentials, log: () => {}, scenarios: [streamFlow, converseFlow] };

  const update = await recordRun({ ...options, mode: 'update' });
  t.deepEqual(update.kept.map((c) => c.id), [streamFlow.id]);
  t.deepEqual(update.written, []);
  t.deepEqual(update.missed.map((m) => m.id), [converseFlow.id], 'the mock has no converse flow');
  t.deepEqual(update.unused.map((c) => c.id), ['old-unrelated']);
  const kept = await readCassetteFile(path.join(dir, `${streamFlow.id}.json`));
  t.is(kept.ok && kept.cassette.description, 'stale');

  const record = await recordRun({ ...options, mode: 'record' });
  t.deepEqual(record.written.map((c) => c.id), [streamFlow.id]);
  const fresh = await readCassetteFile(path.join(dir, `${streamFlow.id}.json`));
  t.true(fresh.ok && fresh.cassette.source.origin === 'recorded' && fresh.cassette.interactions.length === 2);
  const summary = formatRecordReport(record);
  t.regex(summary, /^record: 1 new, 1 unused, 1 missed\n/);
  t.regex(summary, new RegExp(`new +${streamFlow.id}`));
  t.regex(summary, /unused +old-unrelated/);
  t.regex(summary, new RegExp(`missed +${converseFlow.id}: .+`));
});

test('record › --proxy records any client until SIGTERM, then writes one cassette and the summary', async (t) => {
  const mock = await startMock({ cassettes: [topSongCassette('fixture-stream', 'converse-stream', 'cohere.command-r-v1:0')] });
  t.teardown(() => mock.close());
  const dir = await temp(t);
  const child = spawnCli(['record', '--proxy', '--port', '0', '--region', 'us-west-2', '--upstream', mock.url, '--out', dir, '--scenario', 'kong-top-song'],
    await childEnv(dir, { AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey }));
  t.teardown(() => { child.kill('SIGKILL'); });
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (found) resolve(found[1]!);
    });
    child.on('exit', () => reject(new Error(`exited early: ${stdout}`)));
  });
  t.deepEqual(await driveScenario(streamFlow, url, 'us-west-2'), { ok: true });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.kill('SIGTERM');
  t.is(await exited, 0);
  t.regex(stdout, /record: 1 new, 0 unused, 0 missed/);
  const written = await readCassetteFile(path.join(dir, 'kong-top-song.json'));
  t.true(written.ok, JSON.stringify(written));
  if (written.ok) t.deepEqual(written.cassette.interactions.map((i) => i.response.status), [200, 200]);
  t.false((await readFile(path.join(dir, 'kong-top-song.json'), 'utf8')).includes(DEFAULT_CREDENTIALS.secretAccessKey));
});
