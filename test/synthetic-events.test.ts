import test from 'ava';
import fc from 'fast-check';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CassetteEvent, CassetteResponse } from '../mock-bedrock/cassette.ts';
import { decodeMessage, eventToFrame, splitFrames } from '../mock-bedrock/event-codec.ts';
import {
  sortKeysDeep, synthConverseBody, synthConverseTurn, synthErrorResponse, synthId, synthInvokeAnthropicStream,
  synthRequestId, synthStreamException, synthSuccessResponse, type ConverseTurnSpec,
} from '../mock-bedrock/synthetic-events.ts';
import { PADDING_ALPHABET, STREAM_EXCEPTION_TYPES } from '../mock-bedrock/wire-constants.ts';

const CAPTURES = new URL('../../shared/captures/', import.meta.url);
const fcSeed = () => (process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (process.pid << 8));

/** Serves one response on loopback and gives a real AWS SDK client pointed at it. */
async function withSdk<T>(response: CassetteResponse, run: (client: BedrockRuntimeClient) => Promise<T>): Promise<T> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = response.status;
      for (const [name, value] of response.headers) res.setHeader(name, value);
      if (response.events) {
        for (const event of response.events) res.write(eventToFrame(event));
        res.end();
      } else res.end(JSON.stringify(response.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new BedrockRuntimeClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-west-2', maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
    requestHandler: new NodeHttpHandler(),
  });
  try {
    return await run(client);
  } finally {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const turn: ConverseTurnSpec = {
  seed: 42, text: ['I will search for', ' the most popular song.'],
  toolUses: [{ name: 'top_song', id: synthId(42), inputFragments: ['', '{"sign": ', '"WZPZ"}'] }],
  stopReason: 'tool_use', usage: { inputTokens: 49, outputTokens: 42 }, latencyMs: 1234,
};

test('synthConverseTurn › the AWS SDK decodes it to the expected ConverseStream events', async (t) => {
  const events = synthConverseTurn(turn);
  const got = await withSdk(synthSuccessResponse('converse-stream', 1, { events }), async (client) => {
    const out = await client.send(new ConverseStreamCommand({ modelId: 'cohere.command-r-v1:0', messages: [] }));
    const seen: unknown[] = [];
    for await (const event of out.stream!) seen.push(JSON.parse(JSON.stringify(event)));
    return seen;
  });
  const id = turn.toolUses![0]!.id;
  t.deepEqual(got, [
    { messageStart: { role: 'assistant' } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: 'I will search for' } } },
    { contentBlockDelta: { contentBlockIndex: 0, delta: { text: ' the most popular song.' } } },
    { contentBlockStop: { contentBlockIndex: 0 } },
    { contentBlockStart: { contentBlockIndex: 1, start: { toolUse: { name: 'top_song', toolUseId: id } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '{"sign": ' } } } },
    { contentBlockDelta: { contentBlockIndex: 1, delta: { toolUse: { input: '"WZPZ"}' } } } },
    { contentBlockStop: { contentBlockIndex: 1 } },
    { messageStop: { stopReason: 'tool_use' } },
    { metadata: { usage: { inputTokens: 49, outputTokens: 42, totalTokens: 91 }, metrics: { latencyMs: 1234 } } },
  ]);
});

test('synthConverseBody › the AWS SDK Converse command reads the same turn', async (t) => {
  const got = await withSdk(synthSuccessResponse('converse', 1, { json: synthConverseBody(turn) }), (client) =>
    client.send(new ConverseCommand({ modelId: 'cohere.command-r-v1:0', messages: [] })));
  t.is(got.stopReason, 'tool_use');
  t.deepEqual(got.output?.message?.content, [
    { text: 'I will search for the most popular song.' },
    { toolUse: { input: { sign: 'WZPZ' }, name: 'top_song', toolUseId: turn.toolUses![0]!.id } },
  ]);
  t.deepEqual(got.metrics, { latencyMs: 1234 });
});

test('synthConverseBody › top-level keys are metrics, output, stopReason, usage (as in the otel converse capture)', async (t) => {
  const body = synthConverseBody(turn) as Record<string, unknown>;
  t.deepEqual(Object.keys(body), ['metrics', 'output', 'stopReason', 'usage']);
  const yaml = await readFile(new URL('otel-botocore/test_converse_tool_call_with_content.yaml', CAPTURES), 'utf8');
  const recorded = JSON.parse(/string: \|-\n([\s\S]*?)\n    headers:/.exec(yaml.split('response:')[1]!)![1]!);
  t.is(JSON.stringify(sortKeysDeep(recorded)), JSON.stringify(recorded), 'the capture itself is key-sorted at every level');
  t.deepEqual(Object.keys(recorded), Object.keys(body));
});

for (const type of STREAM_EXCEPTION_TYPES) {
  test(`synthStreamException › the AWS SDK throws ${type} from the for-await loop after the deltas`, async (t) => {
    const events = synthConverseTurn({ ...turn, toolUses: [] }).slice(0, 3);
    events.push(synthStreamException(type, `boom ${type}`, 999));
    const { seen, error } = await withSdk(synthSuccessResponse('converse-stream', 2, { events }), async (client) => {
      const out = await client.send(new ConverseStreamCommand({ modelId: 'm', messages: [] }));
      const seen: string[] = [];
      try {
        for await (const event of out.stream!) seen.push(Object.keys(event)[0]!);
      } catch (error) {
        return { seen, error: error as Error };
      }
      return { seen, error: undefined };
    });
    t.deepEqual(seen, ['messageStart', 'contentBlockDelta', 'contentBlockDelta']);
    t.is(error?.name, type[0]!.toUpperCase() + type.slice(1));
    t.is(error?.message, `boom ${type}`);
  });
}

test('synthErrorResponse › the AWS SDK reads it as a ValidationException with the message', async (t) => {
  const response = synthErrorResponse('ValidationException', 'The provided model identifier is invalid.', 7);
  t.is(response.status, 400);
  const error = await t.throwsAsync(withSdk(response, (c) => c.send(new ConverseCommand({ modelId: 'nope', messages: [] }))));
  t.is(error?.name, 'ValidationException');
  t.is(error?.message, 'The provided model identifier is invalid.');
  t.is((error as { $metadata?: { requestId?: string } }).$metadata?.requestId, synthRequestId(7));
});

test('synthInvokeAnthropicStream › the AWS SDK yields chunks whose bytes are Anthropic events in model key order', async (t) => {
  const spec = { ...turn, model: 'claude-3-5-sonnet-20240620', messageId: 'msg_bdrk_01abc' };
  const events = synthInvokeAnthropicStream(spec);
  const chunks = await withSdk(synthSuccessResponse('invoke-with-response-stream', 3, { events }), async (client) => {
    const out = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: 'm', body: '{}' }));
    const texts: string[] = [];
    for await (const event of out.body!) texts.push(Buffer.from(event.chunk!.bytes!).toString('utf8'));
    return texts;
  });
  const types = chunks.map((c) => JSON.parse(c).type);
  t.deepEqual(types, ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_stop',
    'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
  t.true(chunks.every((c) => c.startsWith('{"type":')), 'model JSON keeps its own order: type first, not sorted');
  const last = JSON.parse(chunks.at(-1)!);
  t.deepEqual(Object.keys(last['amazon-bedrock-invocationMetrics']), ['inputTokenCount', 'outputTokenCount', 'invocationLatency', 'firstByteLatency']);
  const input = chunks.map((c) => JSON.parse(c)).filter((e) => e.delta?.type === 'input_json_delta').map((e) => e.delta.partial_json).join('');
  t.deepEqual(JSON.parse(input), { sign: 'WZPZ' });
});

function checkWireRules(events: CassetteEvent[]): string | undefined {
  for (const [i, event] of events.entries()) {
    const frame = eventToFrame(event);
    const message = decodeMessage(frame);
    const headers = Object.entries(message.headers).map(([name, h]) => `${name}:${h.type}`);
    if (headers.join() !== ':event-type:string,:content-type:string,:message-type:string') return `frame ${i} headers ${headers.join()}`;
    const text = Buffer.from(message.body).toString('utf8');
    const payload = JSON.parse(text);
    if (JSON.stringify(sortKeysDeep(payload)) !== text) return `frame ${i} keys not sorted: ${text}`;
    const p = payload.p as string;
    if (!(p.length >= 2 && p.length <= 61 && PADDING_ALPHABET.startsWith(p))) return `frame ${i} bad padding ${p}`;
  }
  const types = events.map((e) => e.headers[':event-type']);
  if (types[0] !== 'messageStart' || types.at(-1) !== 'metadata' || types.at(-2) !== 'messageStop') return `order ${types.join()}`;
  const starts = events.filter((e) => e.headers[':event-type'] === 'contentBlockStart').map((e) => (e.json as { start: object }).start);
  if (starts.some((s) => !('toolUse' in s))) return 'a text block got a contentBlockStart';
  if (!Number.isInteger((events.at(-1)!.json as { metrics: { latencyMs: number } }).metrics.latencyMs)) return 'latencyMs not integer';
  return undefined;
}

test('synthConverseTurn › padding, key order and event order hold for any turn (property)', (t) => {
  const seed = fcSeed();
  t.log(`seed=${seed}`);
  const tool = fc.record({ name: fc.string({ minLength: 1 }), id: fc.string({ minLength: 1 }), inputFragments: fc.array(fc.string({ unit: 'grapheme' })) });
  const spec = fc.record({
    seed: fc.integer(), text: fc.option(fc.array(fc.string({ unit: 'binary' }), { minLength: 1 }), { nil: undefined }),
    toolUses: fc.array(tool, { maxLength: 3 }), stopReason: fc.constantFrom('end_turn', 'tool_use', 'max_tokens'),
    usage: fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat() }), serviceTier: fc.option(fc.constant('default'), { nil: undefined }),
  });
  fc.assert(fc.property(spec, (s) => {
    const problem = checkWireRules(synthConverseTurn(s));
    if (problem) throw new Error(problem);
  }), { seed, numRuns: 200 });
  t.pass();
});

test('synthConverseTurn › same seed gives the same bytes, another seed other padding', (t) => {
  const bytes = (seed: number) => Buffer.concat(synthConverseTurn({ ...turn, seed }).map(eventToFrame));
  t.true(bytes(7).equals(bytes(7)));
  t.false(bytes(7).equals(bytes(8)));
  t.is(synthRequestId(7), synthRequestId(7));
  t.regex(synthRequestId(7), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  t.regex(synthId(7), /^tooluse_[A-Za-z0-9_-]{22}$/);
});

test('synthConverseTurn › frames look like the envoy Claude capture (headers, types, order, padding)', async (t) => {
  const capture = await readFile(new URL('envoy-ai-gateway/claude-converse-stream-tool-use.bin', CAPTURES));
  const { frames, rest } = splitFrames(capture);
  t.is(rest.length, 0);
  const shape = (frame: Uint8Array) => {
    const m = decodeMessage(frame);
    return { headers: Object.entries(m.headers).map(([n, h]) => [n, h.type, n === ':event-type' ? '' : h.value]), type: m.headers[':event-type']!.value };
  };
  const real = frames.map(shape);
  const ours = synthConverseTurn({ ...turn, serviceTier: 'default' }).map((e) => shape(eventToFrame(e)));
  t.deepEqual(new Set(ours.map((o) => JSON.stringify(o.headers))), new Set(real.map((r) => JSON.stringify(r.headers))));
  t.deepEqual([...new Set(ours.map((o) => o.type))], [...new Set(real.map((r) => r.type))], 'same event types in the same first-seen order');
  const realPayloads = frames.map((f) => Buffer.from(decodeMessage(f).body).toString('utf8'));
  t.true(realPayloads.every((p) => JSON.stringify(sortKeysDeep(JSON.parse(p))) === p), 'the real payloads are key-sorted too');
  const realMetadata = JSON.parse(realPayloads.at(-1)!);
  const ourMetadata = synthConverseTurn({ ...turn, serviceTier: 'default' }).at(-1)!.json as object;
  t.deepEqual(Object.keys(ourMetadata), Object.keys(realMetadata));
});
