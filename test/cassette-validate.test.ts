import test from 'ava';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { loadCassettes } from '../mock-bedrock/cassette-load.ts';
import { childPath, parseCassette } from '../mock-bedrock/cassette-validate.ts';
import { synthConverseTurn, synthErrorResponse, synthStreamException, synthSuccessResponse } from '../mock-bedrock/synthetic-events.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILE = 'cassettes/x.json';

/** A small valid cassette: one stream interaction, one error interaction. */
function base(): Record<string, any> {
  const cassette: Cassette = {
    version: 1, id: 'x', description: 'a test cassette', source: { origin: 'synthetic', from: 'test' },
    interactions: [
      { request: { operation: 'converse', modelId: 'm', body: { messages: [] } }, response: synthErrorResponse('ValidationException', 'bad', 1) },
      { request: { operation: 'converse-stream', modelId: 'm', body: null },
        response: synthSuccessResponse('converse-stream', 2, { events: synthConverseTurn({ seed: 1, text: ['a', 'b'], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 } }) }) },
    ],
  };
  return JSON.parse(JSON.stringify(cassette));
}

type Case = [title: string, mutate: (c: Record<string, any>) => unknown, expected: string];
const EV = '$.interactions[1].response.events[3]';

/** Broken cassettes and the error each must produce (file and JSON path included). */
const CASES: Case[] = [
  ['version not first', (c) => { const { version, ...rest } = c; return { ...rest, version }; }, '$: version must be the first key'],
  ['wrong version', (c) => { c.version = 2; }, '$.version: expected 1 (got 2)'],
  ['empty id', (c) => { c.id = ''; }, '$.id: expected an id'],
  ['missing description', (c) => { delete c.description; }, '$.description: expected a non-empty string'],
  ['unknown origin', (c) => { c.source.origin = 'scraped'; }, '$.source.origin: expected one of recorded, imported, synthetic'],
  ['bad recordedAt', (c) => { c.source.recordedAt = 'yesterday'; }, '$.source.recordedAt: expected an ISO date string'],
  ['unknown top-level key', (c) => { c.extra = 1; }, '$.extra: unexpected key'],
  ['no interactions', (c) => { c.interactions = []; }, '$.interactions: expected a non-empty array'],
  ['unknown operation', (c) => { c.interactions[0].request.operation = 'chat'; }, '$.interactions[0].request.operation: expected one of converse, converse-stream, invoke, invoke-with-response-stream'],
  ['empty model id', (c) => { c.interactions[0].request.modelId = ''; }, '$.interactions[0].request.modelId: expected a non-empty string'],
  ['missing body', (c) => { delete c.interactions[0].request.body; }, '$.interactions[0].request.body: missing'],
  ['status as text', (c) => { c.interactions[0].response.status = '400'; }, '$.interactions[0].response.status: expected an integer HTTP status'],
  ['status out of range', (c) => { c.interactions[0].response.status = 42; }, '$.interactions[0].response.status: expected an integer HTTP status'],
  ['headers as an object', (c) => { c.interactions[0].response.headers = { a: 'b' }; }, '$.interactions[0].response.headers: expected an array of [name, value] pairs'],
  ['header not a pair', (c) => { c.interactions[0].response.headers[1] = ['x-amzn-RequestId']; }, '$.interactions[0].response.headers[1]: expected a [name, value] pair'],
  ['header value with newline', (c) => { c.interactions[0].response.headers[0][1] = 'a\r\nb'; }, '$.interactions[0].response.headers[0][1]: expected a header value string without CR/LF'],
  ['stored authorization', (c) => { c.interactions[0].response.headers.push(['Authorization', 'x']); }, "$.interactions[0].response.headers[3][0]: 'Authorization' must not be stored"],
  ['two body forms', (c) => { c.interactions[0].response.text = 'x'; }, '$.interactions[0].response: expected exactly one of events, json, text (found json, text)'],
  ['events on converse', (c) => { c.interactions[0].response.events = c.interactions[1].response.events; delete c.interactions[0].response.json; }, "$.interactions[0].response.events: 'converse' does not stream"],
  ['empty events', (c) => { c.interactions[1].response.events = []; }, '$.interactions[1].response.events: expected a non-empty array'],
  ['event-type not a string', (c) => { c.interactions[1].response.events[3].headers[':event-type'] = 7; }, `${EV}.headers[":event-type"]: expected a string or {type, value}`],
  ['event-type typed, not a string', (c) => { c.interactions[1].response.events[3].headers[':event-type'] = { type: 'integer', value: 7 }; }, `${EV}.headers[":event-type"]: expected a string`],
  ['headers out of WIRE order', (c) => { const h = c.interactions[1].response.events[3].headers; c.interactions[1].response.events[3].headers = { ':content-type': h[':content-type'], ':event-type': h[':event-type'], ':message-type': 'event' }; },
    `${EV}.headers: expected headers :event-type, :content-type, :message-type in that order (found :content-type, :event-type, :message-type)`],
  ['unknown message type', (c) => { c.interactions[1].response.events[3].headers[':message-type'] = 'note'; }, `${EV}.headers[":message-type"]: expected "event", "exception" or "error"`],
  ['two payload forms', (c) => { c.interactions[1].response.events[3].text = 'x'; }, `${EV}: expected exactly one of json, chunk, text, base64 (found json, text)`],
  ['no payload', (c) => { delete c.interactions[1].response.events[3].json; }, `${EV}: expected exactly one of json, chunk, text, base64 (found none)`],
  ['negative at', (c) => { c.interactions[1].response.events[0].at = -1; }, '$.interactions[1].response.events[0].at: expected a number of milliseconds >= 0'],
  ['at going back', (c) => { c.interactions[1].response.events[3].at = 0; }, `${EV}.at: must not be earlier than the previous event`],
  ['non-canonical base64', (c) => { delete c.interactions[1].response.events[3].json; c.interactions[1].response.events[3].base64 = 'a b'; }, `${EV}.base64: expected canonical base64`],
  ['chunk without bytes', (c) => { delete c.interactions[1].response.events[3].json; c.interactions[1].response.events[3].chunk = { p: 'ab' }; }, `${EV}.chunk: expected {bytes, p?}`],
  ['typed header with a bad type', (c) => { c.interactions[1].response.events[3].headers.extra = { type: 'float', value: 1 }; }, `${EV}.headers.extra.type: expected one of boolean`],
  ['integer header out of range', (c) => { c.interactions[1].response.events[3].headers.extra = { type: 'byte', value: 300 }; }, `${EV}.headers.extra.value: expected an integer in -128..127`],
  ['unknown event key', (c) => { c.interactions[1].response.events[3].delay = 5; }, `${EV}.delay: unexpected key`],
  ['header value too long to encode', (c) => { c.interactions[1].response.events[3].headers[':event-type'] = 'x'.repeat(40000); }, `${EV}: does not encode as a frame: `],
  ['bad fault plan', (c) => { c.faults = { split: { kind: 'drip', size: 0 } }; }, '$.faults.split.size: expected an integer'],
  ['not an object', () => [], '$: expected a JSON object'],
];

for (const [title, mutate, expected] of CASES) {
  test(`parseCassette › rejects ${title} naming file and path`, (t) => {
    const cassette = base();
    const replaced = mutate(cassette);
    const result = parseCassette(replaced === undefined ? cassette : replaced, FILE);
    t.false(result.ok);
    const errors = result.ok ? [] : result.errors;
    t.true(errors.some((e) => e.startsWith(`${FILE}: ${expected}`)), `want '${FILE}: ${expected}…', got:\n${errors.join('\n')}`);
  });
}

test('parseCassette › the base cassette, faults and exception frames are valid', (t) => {
  t.deepEqual(parseCassette(base(), FILE), { ok: true, cassette: base() as Cassette });
  const withFaults = base();
  withFaults.faults = { split: { kind: 'offsets', offsets: [3, 9] } };
  const events = withFaults.interactions[1].response.events;
  events.push(synthStreamException('throttlingException', 'slow down', 10_000));
  t.true(parseCassette(withFaults, FILE).ok);
});

test('parseCassette › the brief example message is produced exactly', (t) => {
  const c = base();
  c.interactions.push(JSON.parse(JSON.stringify(c.interactions[1])));
  c.interactions[1] = c.interactions[0];
  c.interactions[2].response.events[3].headers[':event-type'] = { type: 'boolean', value: true };
  const result = parseCassette(c, FILE);
  t.deepEqual(result.ok ? [] : result.errors, [`${FILE}: $.interactions[2].response.events[3].headers[":event-type"]: expected a string`]);
});

test('childPath › uses dots for identifiers and quoted brackets otherwise', (t) => {
  t.is(childPath(childPath(childPath('$', 'a'), 2), ':event-type'), '$.a[2][":event-type"]');
  t.is(childPath('$', 'amazon-bedrock-invocationMetrics'), '$["amazon-bedrock-invocationMetrics"]');
});

test('shipped cassettes › every file under cassettes/ validates, ids are unique', async (t) => {
  const dir = path.join(ROOT, 'cassettes');
  const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.json'));
  const { cassettes, problems } = await loadCassettes(dir);
  t.deepEqual(problems, []);
  t.is(cassettes.length, files.length);
  t.true(cassettes.some((c) => c.source.origin === 'imported') && cassettes.some((c) => c.source.origin === 'synthetic'));
});
