import test, { type ExecutionContext } from 'ava';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createParser } from 'eventsource-parser';
import { createOpenAiChatDriver } from '../runner/openai-chat-driver.ts';
import { createSseEventParser, type SseEvent } from '../runner/sse-event-parser.ts';
import type { ChatMessage, ChatTool } from '../suites/chat-driver.ts';
import { listenOnLoopback } from './support/loopback-server.ts';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' };
const USER: ChatMessage[] = [{ role: 'user', content: 'What is the most popular song on WZPZ?' }];

interface Seen { method: string; url: string; headers: IncomingHttpHeaders; body: string }
type Script = (res: ServerResponse, seen: Seen) => void | Promise<void>;

/** A loopback server that records each request and answers it with `script`; stopped at teardown. */
async function scripted(t: ExecutionContext, script: Script): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    res.on('error', () => {});
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') };
      seen.push(entry);
      void script(res, entry);
    });
  });
  const { url, close } = await listenOnLoopback(server);
  t.teardown(close);
  return { url, seen };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Writes each piece as its own write (its own HTTP chunk), `delayMs` apart, then ends unless told not to. */
async function writePieces(res: ServerResponse, pieces: (string | Uint8Array)[], delayMs = 0, end = true): Promise<void> {
  res.writeHead(200, SSE_HEADERS);
  for (const piece of pieces) {
    if (res.destroyed) return;
    res.write(piece);
    await (delayMs > 0 ? sleep(delayMs) : new Promise<void>((resolve) => setImmediate(resolve)));
  }
  if (end) res.end();
}

function jsonAnswer(status: number, body: unknown, contentType = 'application/json'): Script {
  return (res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
}

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  ({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
const text = (content: string, finish: string | null = null) => chunk({ content }, finish);
const event = (payload: unknown, eol = '\n') => `data: ${JSON.stringify(payload)}${eol}${eol}`;
const DONE = 'data: [DONE]\n\n';

test('openai chat driver › non-stream text answer: content and finish reason from choices[0].message', async (t) => {
  const server = await scripted(t, jsonAnswer(200, {
    id: 'chatcmpl-1', object: 'chat.completion', model: 'm',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Elemental Hotel, by 8 Storey Hike.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 },
  }));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: false });
  t.is(obs.error, undefined);
  t.is(obs.status, 200);
  t.deepEqual(obs.message, { content: 'Elemental Hotel, by 8 Storey Hike.', toolCalls: [], finishReason: 'stop' });
  t.deepEqual(obs.chunks, []);
  t.false(obs.sawDone);
  t.true(obs.bodyText.startsWith('{"id":"chatcmpl-1"'));
  t.true(obs.endedAt >= obs.sentAt);
});

test('openai chat driver › non-stream tool_calls answer: null content becomes empty, calls as given', async (t) => {
  const calls = [
    { id: 'call_a', type: 'function', function: { name: 'top_song', arguments: '{"sign":"WZPZ"}' } },
    { id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
  ];
  const server = await scripted(t, jsonAnswer(200, { choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: calls }, finish_reason: 'tool_calls' }] }));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: false });
  t.is(obs.error, undefined);
  t.deepEqual(obs.message, { content: '', toolCalls: calls, finishReason: 'tool_calls' });
});

test('openai chat driver › non-stream 2xx body that is not JSON, or has no choices, is a parse error', async (t) => {
  const cases: [body: string, message: RegExp][] = [
    ['<html>ok</html>', /response body is not JSON: "<html>ok<\/html>"/],
    ['{"object":"chat.completion","choices":[]}', /no choices\[0\]\.message/],
  ];
  for (const [body, message] of cases) {
    const server = await scripted(t, jsonAnswer(200, body));
    const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: false });
    t.is(obs.error?.where, 'parse', body);
    t.regex(obs.error?.message ?? '', message, body);
    t.is(obs.message, undefined, body);
  }
});

test('openai chat driver › bodyText is cut to 4096 characters while the message keeps the whole content', async (t) => {
  const long = 'é'.repeat(10_000);
  const server = await scripted(t, jsonAnswer(200, { choices: [{ index: 0, message: { role: 'assistant', content: long }, finish_reason: 'length' }] }));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: false });
  t.is(obs.bodyText.length, 4096);
  t.is(obs.message?.content, long);
});

test('openai chat driver › streamed text written event by event: chunks in order with rising times, several reads', async (t) => {
  const pieces = [text('Elemental '), text('Hotel, '), text('by 8 Storey Hike.'), text('', 'stop')].map((payload) => event(payload));
  const server = await scripted(t, (res) => writePieces(res, [...pieces, DONE], 40));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error, undefined);
  t.true(obs.sawDone);
  t.deepEqual(obs.message, { content: 'Elemental Hotel, by 8 Storey Hike.', toolCalls: [], finishReason: 'stop' });
  t.is(obs.chunks.length, 4);
  t.deepEqual(obs.chunks[1]!.data, text('Hotel, '));
  for (let i = 1; i < obs.chunks.length; i++) t.true(obs.chunks[i]!.t > obs.chunks[i - 1]!.t, `chunk ${i} arrived after chunk ${i - 1}`);
  t.true(obs.chunks[3]!.t - obs.chunks[0]!.t >= 100, 'the 40 ms gaps are visible in the chunk times');
  t.true(obs.reads.length >= 5, `reads: ${obs.reads.length}`);
  t.is(obs.reads.reduce((sum, read) => sum + read.bytes, 0), Buffer.byteLength(pieces.join('') + DONE));
});

test('openai chat driver › streamed tool calls with arguments split across chunks and a second call interleaved at index 1', async (t) => {
  const payloads = [
    chunk({ role: 'assistant', content: null }),
    chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'top_song', arguments: '' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"sig' } }] }),
    chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"ci' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'n":"WZ' } }] }),
    chunk({ tool_calls: [{ index: 1, function: { arguments: 'ty":"Par' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: 'PZ"}' } }, { index: 1, function: { arguments: 'is"}' } }] }),
    chunk({}, 'tool_calls'),
    { id: 'chatcmpl-1', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } },
  ];
  const server = await scripted(t, (res) => writePieces(res, [...payloads.map((payload) => event(payload)), DONE], 5));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error, undefined);
  t.is(obs.chunks.length, payloads.length);
  t.deepEqual(obs.message, {
    content: '',
    toolCalls: [
      { id: 'call_a', type: 'function', function: { name: 'top_song', arguments: '{"sign":"WZPZ"}' } },
      { id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
    ],
    finishReason: 'tool_calls',
  });
  t.deepEqual(JSON.parse(obs.message!.toolCalls[0]!.function.arguments), { sign: 'WZPZ' });
});

test('openai chat driver › a stream written one byte at a time keeps multi-byte UTF-8 split across reads intact', async (t) => {
  const parts = ['Ünïcode ', '👋🏽 ', '日本語の', '曲', ' 🎵'];
  const bytes = Buffer.from(parts.map((part) => event(text(part))).join('') + event(text('', 'stop')) + DONE, 'utf8');
  const pieces = [...bytes].map((byte) => Uint8Array.of(byte));
  const server = await scripted(t, (res) => writePieces(res, pieces));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error, undefined);
  t.is(obs.message?.content, parts.join(''));
  t.false(obs.message!.content.includes('\uFFFD'));
  t.true(obs.sawDone);
  t.is(obs.reads.length, bytes.length, 'every byte arrived in its own read, so the emoji and CJK characters were split across reads');
});

test('openai chat driver › \\r\\n line endings, comments and multi-line data are read as one event each', async (t) => {
  const pretty = JSON.stringify(text('lines'), null, 2).split('\n').map((line) => `data: ${line}`).join('\r\n');
  const body = `: keep-alive\r\n\r\n${event(text('CRLF '), '\r\n')}${pretty}\r\n\r\n: ping\r\n${event(text('', 'stop'), '\r\n')}data: [DONE]\r\n\r\n`;
  const server = await scripted(t, (res) => writePieces(res, [body]));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error, undefined);
  t.is(obs.chunks.length, 3);
  t.deepEqual(obs.message, { content: 'CRLF lines', toolCalls: [], finishReason: 'stop' });
  t.true(obs.sawDone);
});

test('openai chat driver › [DONE] seen, versus a stream that ends cleanly without it (not an error by itself)', async (t) => {
  for (const withDone of [true, false]) {
    const pieces = [event(text('hi')), event(text('', 'stop')), ...(withDone ? [DONE] : [])];
    const server = await scripted(t, (res) => writePieces(res, pieces));
    const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
    t.is(obs.sawDone, withDone);
    t.is(obs.error, undefined);
    t.is(obs.message?.content, 'hi');
    t.is(obs.chunks.length, 2, 'the [DONE] marker is not a chunk');
  }
});

test('openai chat driver › HTTP 400/429/500 with OpenAI error bodies expose status, message, type and code, streamed or not', async (t) => {
  const cases = [
    { status: 400, error: { message: 'messages.1: tool_call_id is required', type: 'invalid_request_error', param: 'messages', code: 'invalid_value' } },
    { status: 429, error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
    { status: 500, error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } },
  ];
  for (const { status, error } of cases) {
    for (const stream of [false, true]) {
      const server = await scripted(t, jsonAnswer(status, { error }));
      const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream });
      const expected = { where: 'http', status, message: error.message, type: error.type, ...(error.code ? { code: error.code } : {}) };
      t.like(obs.error, expected, `${status} stream=${stream}`);
      t.is(obs.error?.code, error.code ?? undefined);
      t.is(obs.status, status);
      t.is(obs.message, undefined);
      t.deepEqual(obs.chunks, []);
    }
  }
});

test('openai chat driver › an error body that is not OpenAI-shaped is reported as its text', async (t) => {
  const cases: [status: number, body: string][] = [
    [502, '<html><body>502 Bad Gateway</body></html>'],
    [503, '{"status":"failure","message":"upstream unavailable"}'],
  ];
  for (const [status, body] of cases) {
    const server = await scripted(t, jsonAnswer(status, body, 'text/html'));
    const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
    t.deepEqual({ ...obs.error, t: 0 }, { where: 'http', status, message: body, t: 0 });
    t.is(obs.bodyText, body);
  }
});

test('openai chat driver › an in-stream {"error":...} chunk after content keeps the content so far and stops', async (t) => {
  const error = { message: 'Too many requests, please wait before trying again.', type: 'throttling_error', code: 'ThrottlingException' };
  const pieces = [event(text('Elemental ')), event(text('Hotel')), event({ error }), event(text(' never read'))];
  const server = await scripted(t, (res) => writePieces(res, pieces, 5));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.like(obs.error, { where: 'stream', ...error });
  t.is(obs.message?.content, 'Elemental Hotel');
  t.is(obs.chunks.length, 3);
  t.deepEqual(obs.chunks[2]!.data, { error });
  t.false(obs.sawDone);
});

test('openai chat driver › an SSE `event: error` is a stream error with the message and type it carries', async (t) => {
  const pieces = [event(text('partial')), 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n'];
  const server = await scripted(t, (res) => writePieces(res, pieces));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.like(obs.error, { where: 'stream', message: 'Overloaded', type: 'overloaded_error' });
  t.is(obs.message?.content, 'partial');
});

test('openai chat driver › a data line that is not JSON is a parse error naming the text, and reading stops', async (t) => {
  const pieces = [event(text('a')), 'data: {"choices": [oops\n\n', event(text('b')), DONE];
  const server = await scripted(t, (res) => writePieces(res, pieces));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error?.where, 'parse');
  t.true(obs.error!.message.includes('{\\"choices\\": [oops'), obs.error!.message);
  t.is(obs.message?.content, 'a');
  t.is(obs.chunks.length, 1);
  t.false(obs.sawDone);
});

test('openai chat driver › the server destroying the socket mid-stream is a transport error, content so far kept', async (t) => {
  const server = await scripted(t, async (res) => {
    await writePieces(res, [event(text('Elemental ')), event(text('Hotel'))], 10, false);
    await sleep(20);
    res.socket?.destroy();
  });
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error?.where, 'transport');
  t.is(obs.message?.content, 'Elemental Hotel');
  t.is(obs.chunks.length, 2);
  t.false(obs.sawDone);
});

test('openai chat driver › a refused connection is a transport error', async (t) => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const port = typeof address === 'object' && address ? address.port : 0;
  const obs = await createOpenAiChatDriver({ baseUrl: `http://127.0.0.1:${port}` }).chat({ model: 'm', messages: USER, stream: true });
  t.is(obs.error?.where, 'transport');
  t.regex(obs.error!.message, /ECONNREFUSED/);
  t.is(obs.status, undefined);
});

test('openai chat driver › a server that never answers is a timeout after timeoutMs', async (t) => {
  const server = await scripted(t, () => {});
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true, timeoutMs: 150 });
  t.is(obs.error?.where, 'timeout');
  t.regex(obs.error!.message, /150 ms/);
  const took = obs.endedAt - obs.sentAt;
  t.true(took >= 140 && took < 2000, `took ${took} ms`);
  t.is(obs.status, undefined);
});

test('openai chat driver › a stream that stalls is a timeout that keeps what arrived', async (t) => {
  const server = await scripted(t, (res) => writePieces(res, [event(text('Elemental '))], 0, false));
  const obs = await createOpenAiChatDriver({ baseUrl: server.url }).chat({ model: 'm', messages: USER, stream: true, timeoutMs: 200 });
  t.is(obs.error?.where, 'timeout');
  t.is(obs.status, 200);
  t.is(obs.chunks.length, 1);
  t.is(obs.message?.content, 'Elemental ');
});

test('openai chat driver › sends the request body and headers as given (tool message, tools, stream flag, auth, custom headers)', async (t) => {
  const server = await scripted(t, jsonAnswer(200, { choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] }));
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a DJ.' },
    ...USER,
    { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'top_song', arguments: '{"sign":"WZPZ"}' } }] },
    { role: 'tool', tool_call_id: 'call_a', content: '{"song":"Elemental Hotel","artist":"8 Storey Hike"}' },
  ];
  const tools: ChatTool[] = [{ type: 'function', function: { name: 'top_song', description: 'Most popular song on a station.', parameters: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } } }];
  const driver = createOpenAiChatDriver({ baseUrl: `${server.url}/gw/`, apiKey: 'test-dummy-key', headers: { 'x-portkey-provider': 'bedrock', 'x-trace': 'driver' } });
  await driver.chat({ model: 'anthropic.claude-3-haiku', messages, tools, stream: true, max_tokens: 64, headers: { 'x-trace': 'call' } });
  await driver.chat({ model: 'm', messages: USER, stream: false });
  const [first, second] = server.seen;
  t.is(first!.method, 'POST');
  t.is(first!.url, '/gw/v1/chat/completions');
  t.deepEqual(JSON.parse(first!.body), { model: 'anthropic.claude-3-haiku', messages, tools, stream: true, max_tokens: 64 });
  t.is(first!.headers['content-type'], 'application/json');
  t.is(first!.headers.authorization, 'Bearer test-dummy-key');
  t.is(first!.headers['x-portkey-provider'], 'bedrock');
  t.is(first!.headers['x-trace'], 'call', 'per-call headers win over the driver headers');
  t.is(first!.headers['content-length'], String(Buffer.byteLength(first!.body)));
  t.deepEqual(Object.keys(JSON.parse(second!.body)), ['model', 'messages', 'stream'], 'undefined keys are omitted');
  t.is(JSON.parse(second!.body).stream, false);
  t.is(second!.headers['x-trace'], 'driver');
});

test('openai chat driver › only http:// base URLs are accepted', (t) => {
  t.throws(() => createOpenAiChatDriver({ baseUrl: 'https://api.example.com' }), { message: /only http:\/\/ gateways/ });
  t.throws(() => createOpenAiChatDriver({ baseUrl: 'not a url' }));
});

type Delta = { kind: 'text'; text: string } | { kind: 'args'; index: 0 | 1; text: string };
interface Style { eol: '\n' | '\r\n'; pretty: boolean; comment: boolean }

const fragment = fc.string({ unit: 'binary', maxLength: 8 });
const deltaArb: fc.Arbitrary<Delta> = fc.oneof(
  fc.record({ kind: fc.constant('text' as const), text: fragment }),
  fc.record({ kind: fc.constant('args' as const), index: fc.constantFrom(0 as const, 1 as const), text: fragment }),
);
const styleArb: fc.Arbitrary<Style> = fc.record({ eol: fc.constantFrom('\n' as const, '\r\n' as const), pretty: fc.boolean(), comment: fc.boolean() });

/** The deltas as one SSE body (pretty JSON spans several `data:` lines), and the message they must assemble to. */
function serialise(deltas: [Delta, Style][]) {
  const opened = new Set<number>();
  const args = new Map<number, string>();
  let content = '';
  const events = deltas.map(([delta, style]) => {
    let payload: unknown;
    if (delta.kind === 'text') {
      content += delta.text;
      payload = text(delta.text);
    } else {
      const first = !opened.has(delta.index);
      opened.add(delta.index);
      args.set(delta.index, (args.get(delta.index) ?? '') + delta.text);
      const head = first ? { id: `call_${delta.index}`, type: 'function' } : {};
      payload = chunk({ tool_calls: [{ index: delta.index, ...head, function: { ...(first ? { name: `fn_${delta.index}` } : {}), arguments: delta.text } }] });
    }
    const lines = JSON.stringify(payload, null, style.pretty ? 1 : undefined).split('\n').map((line) => `data: ${line}`);
    return `${style.comment ? `: keep-alive${style.eol}` : ''}${lines.join(style.eol)}${style.eol}${style.eol}`;
  });
  const toolCalls = [...args.entries()].sort(([a], [b]) => a - b)
    .map(([index, joined]) => ({ id: `call_${index}`, type: 'function' as const, function: { name: `fn_${index}`, arguments: joined } }));
  return { body: events.join('') + DONE, message: deltas.length === 0 ? undefined : { content, toolCalls } };
}

/** `bytes` cut at the given offsets (taken modulo the length), each piece non-empty. */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const at = [...new Set(offsets.map((offset) => (offset % (bytes.length - 1)) + 1))].sort((a, b) => a - b);
  return [0, ...at].map((start, i) => bytes.subarray(start, at[i] ?? bytes.length));
}

/** Events from our parser and from eventsource-parser (the one the `ai` SDK uses) for the same decoded pieces. */
function bothParsers(pieces: string[]): { ours: SseEvent[]; reference: SseEvent[] } {
  const ours: SseEvent[] = [];
  const reference: SseEvent[] = [];
  const mine = createSseEventParser((e) => ours.push(e));
  const theirs = createParser({ onEvent: (e) => reference.push(e.event === undefined ? { data: e.data } : { event: e.event, data: e.data }) });
  for (const piece of pieces) {
    mine.feed(piece);
    theirs.feed(piece);
  }
  return { ours, reference };
}

function decodePieces(pieces: Uint8Array[]): string[] {
  const decoder = new TextDecoder('utf-8');
  return [...pieces.map((piece) => decoder.decode(piece, { stream: true })), decoder.decode()];
}

test('openai chat driver › property: text and tool-call argument fragments cut into arbitrary writes assemble to their concatenation', async (t) => {
  t.log(`seed=${SEED} (replay: FC_SEED=${SEED} npx ava test/openai-chat-driver.test.ts)`);
  let pieces: Uint8Array[] = [];
  const server = await scripted(t, (res) => writePieces(res, pieces));
  const driver = createOpenAiChatDriver({ baseUrl: server.url });
  const property = fc.asyncProperty(fc.array(fc.tuple(deltaArb, styleArb), { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 40 }), async (deltas, offsets) => {
    const { body, message } = serialise(deltas);
    pieces = cut(Buffer.from(body, 'utf8'), offsets);
    const { ours, reference } = bothParsers(decodePieces(pieces));
    if (JSON.stringify(ours) !== JSON.stringify(reference)) throw new Error(`event splitting differs from eventsource-parser: ${JSON.stringify({ ours, reference })}`);
    if (ours.length !== deltas.length + 1) throw new Error(`expected ${deltas.length + 1} events, parsed ${ours.length}`);
    const obs = await driver.chat({ model: 'm', messages: USER, stream: true, timeoutMs: 5000 });
    if (obs.error) throw new Error(`unexpected error: ${JSON.stringify(obs.error)}`);
    if (!obs.sawDone) throw new Error('[DONE] not seen');
    if (JSON.stringify(obs.message) !== JSON.stringify(message)) throw new Error(`assembled ${JSON.stringify(obs.message)}, expected ${JSON.stringify(message)}`);
  });
  await fc.assert(property, { seed: SEED, numRuns: 100 });
  t.pass();
});

const lineValue = fc.string({ unit: fc.constantFrom('a', ' ', ':', 'é', '😀', '{', '"'), maxLength: 6 });
const sseLine = fc.oneof(
  fc.constant(''), fc.constant(''),
  lineValue.map((v) => `data:${v}`), lineValue.map((v) => `data: ${v}`), fc.constant('data'),
  lineValue.map((v) => `event: ${v}`), fc.constant('event:'), lineValue.map((v) => `:${v}`),
  lineValue.map((v) => `id: ${v}`), fc.constant('retry: 10'), lineValue,
);

test('sse event parser › property: splits events exactly as eventsource-parser does, for any line endings and cuts', (t) => {
  t.log(`seed=${SEED} (replay: FC_SEED=${SEED} npx ava test/openai-chat-driver.test.ts)`);
  const lines = fc.array(fc.tuple(sseLine, fc.constantFrom('\n', '\r\n', '\r')), { maxLength: 30 });
  fc.assert(fc.property(lines, fc.array(fc.nat(), { maxLength: 20 }), (parts, offsets) => {
    const input = parts.map(([line, eol]) => line + eol).join('');
    const at = [...new Set(offsets.map((offset) => offset % (input.length + 1)))].sort((a, b) => a - b);
    const pieces = [0, ...at].map((start, i) => input.slice(start, at[i] ?? input.length));
    const { ours, reference } = bothParsers([...pieces, '\n']);
    if (JSON.stringify(ours) !== JSON.stringify(reference)) throw new Error(`ours ${JSON.stringify(ours)} vs eventsource-parser ${JSON.stringify(reference)}`);
  }), { seed: SEED, numRuns: 500 });
  t.pass();
});
