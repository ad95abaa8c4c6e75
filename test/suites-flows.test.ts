// The flow suites (tool use, parallel tools, stream fidelity, no buffering, request fidelity,
// concurrency) against the real mock through the runner's SDK driver: straight at the mock they
// pass; behind a shim gateway with one misbehaviour, the check meant for it fails and says why.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { loadCassettes } from '../mock-bedrock/cassette-load.ts';
import { encodeMessage, decodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import { createSdkDriver } from '../runner/sdk-driver.ts';
import { makeConcurrencySuite } from '../suites/concurrency.ts';
import { noBufferingSuite } from '../suites/no-buffering.ts';
import { parallelToolUseSuite } from '../suites/parallel-tool-use.ts';
import { recordedRequests, requestFidelityCheck, requestFidelitySuite, richCassettes } from '../suites/request-fidelity.ts';
import { streamFidelityCheck, streamFidelitySuite } from '../suites/stream-fidelity.ts';
import type { Suite, SuiteContext } from '../suites/suite.ts';
import { serveCassettes } from '../suites/synthetic-flow.ts';
import { toolUseFlowCheck, toolUseFlowsSuite } from '../suites/tool-use-flows.ts';
import { startShim, type HeldResponse, type ShimOptions } from './support/flow-test-shim.ts';

const CASSETTES = fileURLToPath(new URL('../cassettes', import.meta.url));
const loaded = loadCassettes(CASSETTES);
const SEED_STREAM = 'seed-cohere-top-song-converse-stream';
const DUMMY = { accessKeyId: 'AKIDFLOWTESTDUMMY001', secretAccessKey: 'flow-test-dummy-secret-not-a-real-key' };

/** Runs `fn` with a real context: the mock with the shipped cassettes, the SDK driver, and a shim when given. */
async function withContext<T>(shim: ShimOptions | undefined, fn: (ctx: SuiteContext) => Promise<T>): Promise<T> {
  const { cassettes } = await loaded;
  const mock = await startMock({ cassettesDir: CASSETTES });
  const gateway = shim ? await startShim(mock.url, shim) : undefined;
  const gatewayUrl = gateway?.url ?? mock.url;
  const clientCredentials = gateway ? { ...DUMMY } : { ...DEFAULT_CREDENTIALS };
  const ctx: SuiteContext = {
    gatewayUrl, mock, cassettes, client: createSdkDriver({ gatewayUrl, credentials: clientCredentials }),
    upstreamCredentials: { ...DEFAULT_CREDENTIALS }, clientCredentials, seed: 424242, runs: 10, report: () => {},
  };
  try {
    return await fn(ctx);
  } finally {
    await gateway?.close();
    await mock.close();
  }
}

async function runSuite(suite: Suite, shim?: ShimOptions): Promise<{ results: CheckResult[]; reported: CheckResult[] }> {
  return withContext(shim, async (ctx) => {
    const reported: CheckResult[] = [];
    const results = await suite.run({ ...ctx, report: (c) => reported.push(c) });
    return { results, reported };
  });
}

const summary = (results: readonly CheckResult[]) => results.map((r) => `${r.status} ${r.id}: ${r.message}`).join('\n');
const statuses = (results: readonly CheckResult[]) => [...new Set(results.map((r) => r.status))];
const seedCassette = async (id = SEED_STREAM) => (await loaded).cassettes.find((c) => c.id === id)!;

/** Re-encodes frame `index` with `edit` applied to its payload text. */
function editFrame(body: Buffer, index: number, edit: (payload: string) => string): Buffer {
  const { frames } = splitFrames(body);
  const message = decodeMessage(frames[index]!);
  frames[index] = encodeMessage({ headers: message.headers, body: Buffer.from(edit(Buffer.from(message.body).toString('utf8'))) });
  return Buffer.concat(frames);
}

const isStream = (held: HeldResponse) => String(held.headers['content-type']).includes('eventstream');

test('tool-use-flows › every two-round cassette passes against the mock, the seed flow first', async (t) => {
  const { results, reported } = await runSuite(toolUseFlowsSuite);
  t.log(summary(results));
  t.deepEqual(statuses(results), ['pass']);
  t.is(results[0]!.id, `tool-use-flows/${SEED_STREAM}`);
  for (const id of ['seed-cohere-top-song-converse', 'claude-invoke-stream-tool-use', 'claude-invoke-tool-use', 'nova-exchange-rate-converse-stream']) {
    t.true(results.some((r) => r.id === `tool-use-flows/${id}`), id);
  }
  t.false(results.some((r) => r.id.includes('mid-stream') || r.id.includes('invalid-model')), 'single-round cassettes are not flows');
  t.true(results[0]!.evidence!.some((line) => line.includes('top_song({"sign":"WZPZ"})') && line.includes('tool table')));
  t.deepEqual(reported, results);
});

test('tool-use-flows › a gateway that mangles the toolResult fails round 2 and says what the mock saw', async (t) => {
  const shim: ShimOptions = {
    request: (body) => {
      for (const m of body.messages) for (const b of m.content) if (b.toolResult) b.toolResult.content = [{ json: { song: 'Mangled' } }];
      return body;
    },
  };
  const result = await withContext(shim, async (ctx) => toolUseFlowCheck(ctx, await seedCassette()));
  t.log(result.message);
  t.is(result.status, 'fail');
  t.regex(result.message, new RegExp(`^round 2 was not answered by ${SEED_STREAM} interaction 1: .*no recorded interaction matches`));
});

test('tool-use-flows › a tool input fragment cut short fails round 1 with the broken JSON', async (t) => {
  const shim: ShimOptions = {
    response: (held) => {
      if (!isStream(held)) return held;
      const { frames } = splitFrames(held.body);
      const at = frames.findIndex((f) => Buffer.from(decodeMessage(f).body).toString('utf8').includes('WZPZ\\"}'));
      return at < 0 ? held : { ...held, body: editFrame(held.body, at, (p) => p.replace('WZPZ\\"}', 'WZPZ\\"')) };
    },
  };
  const result = await withContext(shim, async (ctx) => toolUseFlowCheck(ctx, await seedCassette()));
  t.log(result.message);
  t.is(result.status, 'fail');
  t.regex(result.message, /^round 1 could not be reassembled: tool input for top_song \(tooluse_[\w-]+\) is not JSON: "\{\\"sign\\": \\"WZPZ\\""/);
});

test('tool-use-flows › a changed final answer fails with where the text differs', async (t) => {
  const shim: ShimOptions = { response: (held) => ({ ...held, body: Buffer.from(held.body.toString('utf8').replace('Elemental Hotel', 'Elemental Motel')) }) };
  const result = await withContext(shim, async (ctx) => toolUseFlowCheck(ctx, await seedCassette('seed-cohere-top-song-converse')));
  t.log(result.message);
  t.is(result.status, 'fail');
  t.regex(result.message, /^the final answer differs at character 43: got ".*Elemental Motel.*", recorded ".*Elemental Hotel.*"/);
});

test('parallel-tool-use › recorded multi-call flows and the seed tool asked twice pass against the mock', async (t) => {
  const { results } = await runSuite(parallelToolUseSuite);
  t.log(summary(results));
  t.deepEqual(statuses(results), ['pass']);
  t.true(results.length >= 2);
  const synthetic = results.find((r) => r.id === 'parallel-tool-use/synthetic-parallel-top-song-converse-stream')!;
  t.regex(synthetic.message, /^2 tool calls in one turn, 2 results sent back/);
  t.is(synthetic.evidence!.filter((line) => line.includes('top_song(') && line.includes('tool table')).length, 2);
});

test('parallel-tool-use › a gateway that forwards only the first toolResult fails every parallel flow', async (t) => {
  const shim: ShimOptions = {
    request: (body) => {
      const last = body.messages[body.messages.length - 1];
      if (last.content.length > 1 && (last.content[0].toolResult || last.content[0].type === 'tool_result')) last.content = last.content.slice(0, 1);
      return body;
    },
  };
  const { results } = await runSuite(parallelToolUseSuite, shim);
  t.log(summary(results));
  t.deepEqual(statuses(results), ['fail']);
  for (const r of results) t.regex(r.message, /^round 2 was not answered by .* interaction 1/);
});

test('stream-fidelity › every recorded stream is byte-identical raw and through the SDK', async (t) => {
  const { results } = await runSuite(streamFidelitySuite);
  t.log(summary(results));
  t.deepEqual(statuses(results), ['pass']);
  t.true(results.some((r) => r.id === 'stream-fidelity/envoy-ai-gateway-claude-converse-stream-tool-use/round-1'), 'real AWS bytes are replayed');
  t.true(results.some((r) => r.id.startsWith('stream-fidelity/otel-botocore-invoke-model-with-response-stream-with-content-tool-call')));
  const seed = results.find((r) => r.id === `stream-fidelity/${SEED_STREAM}/round-1`)!;
  t.is(seed.timeline!.filter((p) => p.side === 'sent').length, 13);
  t.is(seed.timeline!.filter((p) => p.side === 'received').length, 13);
  t.true(seed.timeline!.some((p) => p.side === 'sent' && p.label === 'frame 0 messageStart'));
});

test('stream-fidelity › a truncated upstream shows the missing frames and the SDK error', async (t) => {
  const result = await withContext(undefined, async (ctx) => {
    ctx.mock.faults.add({ cassetteId: SEED_STREAM, interaction: 0, plan: { truncate: { frame: 5, bytes: 20 } } });
    return streamFidelityCheck(ctx, { cassette: await seedCassette(), index: 0 });
  });
  t.log(result.evidence!.join('\n'));
  t.is(result.status, 'fail');
  t.regex(result.message, /^8 frames missing: the stream ended after 5 of 13 \(first missing: frame 5, contentBlockStop\)/);
  t.true(result.evidence!.includes('20 trailing bytes that do not form a whole frame'));
  t.true(result.evidence!.includes('no messageStop frame reached the client'));
  t.true(result.evidence!.some((line) => /^SDK: the call failed: error .*Truncated event message received/.test(line)));
});

test('stream-fidelity › content type, request id, changed and added frames are each named', async (t) => {
  const shim: ShimOptions = {
    response: (held) => {
      if (!isStream(held)) return held;
      const headers: HeldResponse['headers'] = { ...held.headers, 'content-type': 'text/event-stream' };
      delete headers['x-amzn-requestid'];
      const edited = editFrame(held.body, 2, (p) => p.replace('"text":"', '"text":"X'));
      const { frames } = splitFrames(edited);
      return { ...held, headers, body: Buffer.concat([edited, frames[frames.length - 1]!]) };
    },
  };
  const result = await withContext(shim, async (ctx) => streamFidelityCheck(ctx, { cassette: await seedCassette(), index: 0 }));
  t.log(result.evidence!.join('\n'));
  t.is(result.status, 'fail');
  t.is(result.message, 'content-type was text/event-stream, upstream sent application/vnd.amazon.eventstream (and 5 more problems)');
  const evidence = result.evidence!.join('\n');
  t.regex(evidence, /x-amzn-RequestId was not passed through \(upstream sent [0-9a-f-]{36}\)/);
  t.regex(evidence, /frame 2 payload differs at byte 40: got ".*X.*", recorded/);
  t.regex(evidence, /1 extra frame \(first: metadata at frame 13\)/);
  t.regex(evidence, /SDK: the SDK yielded 14 events; the recording has 13/);
  t.regex(evidence, /SDK: event 2 \(contentBlockDelta\) differs: \$\.delta\.text: got "X/);
});

test('stream-fidelity › a stream cut before messageStop and metadata says so', async (t) => {
  const shim: ShimOptions = {
    response: (held) => (isStream(held) ? { ...held, body: Buffer.concat(splitFrames(held.body).frames.slice(0, -2)) } : held),
  };
  const result = await withContext(shim, async (ctx) => streamFidelityCheck(ctx, { cassette: await seedCassette(), index: 0 }));
  t.log(result.evidence!.join('\n'));
  t.is(result.status, 'fail');
  t.regex(result.message, /^2 frames missing: the stream ended after 11 of 13 \(first missing: frame 11, messageStop\)/);
  t.true(result.evidence!.includes('no messageStop frame reached the client'));
  t.true(result.evidence!.includes('no metadata frame reached the client'));
});

test('no-buffering › straight at the mock the first event arrives early, with a timeline', async (t) => {
  const { results } = await runSuite(noBufferingSuite);
  t.log(summary(results));
  t.deepEqual(results.map((r) => [r.id, r.status]), [['no-buffering/converse-stream', 'pass'], ['no-buffering/invoke-with-response-stream', 'pass']]);
  for (const r of results) {
    t.regex(r.message, /^first event arrived \d+ ms before the last frame was sent; the gateway added \d+ ms to the first event$/);
    t.true(r.evidence!.some((line) => line.startsWith('time to first event added by the gateway: ')));
    t.true(r.timeline!.some((p) => p.side === 'sent') && r.timeline!.some((p) => p.side === 'received'));
    const firstReceived = r.timeline!.find((p) => p.side === 'received')!;
    const lastSent = r.timeline!.filter((p) => p.side === 'sent').at(-1)!;
    t.true(firstReceived.at < lastSent.at);
  }
});

test('no-buffering › a gateway that buffers the response fails with the delay it added', async (t) => {
  const { results } = await runSuite(noBufferingSuite, { buffer: true });
  t.log(summary(results));
  t.deepEqual(statuses(results), ['fail']);
  for (const r of results) {
    t.regex(r.message, /^the client saw its first event \d+ ms after the mock sent the last frame: the gateway buffered the stream \(it added (\d+) ms to the first event\)$/);
    const added = Number(/it added (\d+) ms/.exec(r.message)![1]);
    t.true(added >= 4 * 150, `added ${added} ms`);
    t.true(r.timeline!.some((p) => p.side === 'received'));
  }
});

test('request-fidelity › every recorded and rich request reaches the mock unchanged', async (t) => {
  const { results } = await runSuite(requestFidelitySuite);
  t.log(summary(results));
  t.deepEqual(statuses(results), ['pass']);
  const rich = results.find((r) => r.id === 'request-fidelity/synthetic-rich-request-converse-stream/round-2')!;
  t.regex(rich.message, /additionalModelRequestFields, additionalModelResponseFieldPaths, inferenceConfig, messages, system, toolConfig/);
  t.true(results.some((r) => r.id === `request-fidelity/${SEED_STREAM}/round-2`));
});

/** The rich converse-stream request fidelity checks (round 1 and round 2) behind `shim`. */
function richChecks(shim: ShimOptions): Promise<CheckResult[]> {
  return withContext(shim, async (ctx) => {
    const rich = richCassettes().slice(0, 1);
    const served = serveCassettes(ctx.mock, rich);
    if (!served.ok) throw new Error(served.reason);
    const out: CheckResult[] = [];
    for (const request of recordedRequests(rich)) out.push(await requestFidelityCheck(ctx, request));
    return out;
  });
}

test('request-fidelity › a rewritten inference setting is shown at its path', async (t) => {
  const results = await richChecks({ request: (body) => ({ ...body, inferenceConfig: { ...body.inferenceConfig, temperature: 0.7 } }) });
  t.log(summary(results));
  t.deepEqual(results.map((r) => r.id), ['request-fidelity/synthetic-rich-request-converse-stream/round-1', 'request-fidelity/synthetic-rich-request-converse-stream/round-2']);
  for (const r of results) t.is(r.message, 'the forwarded body differs at $.inferenceConfig.temperature: sent 0.2, forwarded 0.7');
});

test('request-fidelity › a dropped toolResult error status is shown at its path', async (t) => {
  const results = await richChecks({
    request: (body) => {
      for (const m of body.messages) for (const b of m.content) if (b.toolResult) delete b.toolResult.status;
      return body;
    },
  });
  t.log(summary(results));
  t.deepEqual(results.map((r) => r.status), ['pass', 'fail']);
  t.is(results[1]!.message, 'the forwarded body differs at $.messages[2].content[1].toolResult.status: sent "error", forwarded (missing)');
});

test('concurrency › simultaneous two-round flows each get their own answer', async (t) => {
  const { results } = await runSuite(makeConcurrencySuite(24));
  t.log(summary(results));
  t.is(results.length, 1);
  t.is(results[0]!.status, 'pass');
  t.regex(results[0]!.message, /^24 simultaneous two-round flows each got their own answer/);
  t.regex(results[0]!.evidence![0]!, /6 converse-stream, 6 converse, 6 invoke-with-response-stream, 6 invoke/);
});

test('concurrency › a gateway that crosses responses between clients is caught', async (t) => {
  const { results } = await runSuite(makeConcurrencySuite(8), { crossWires: true });
  t.log(results[0]!.evidence!.join('\n'));
  t.is(results[0]!.status, 'fail');
  t.regex(results[0]!.message, /^\d+ of 8 simultaneous flows failed; \d+ got another client's response: flow \d+ \(.*\)/);
  t.true(results[0]!.evidence!.some((line) => / got flow \d+'s response: /.test(line)));
});
