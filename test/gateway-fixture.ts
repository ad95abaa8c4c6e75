// A small two-round tool-use cassette in the seed flow's shape (cohere.command-r-v1:0, top_song),
// built in memory so the gateway tests do not depend on the shipped cassette files.
import type { Cassette, CassetteEvent } from '../mock-bedrock/cassette.ts';

export const SEED_MODEL = 'cohere.command-r-v1:0';

const TOOL_CONFIG = {
  tools: [{
    toolSpec: {
      name: 'top_song',
      description: 'Get the most popular song played on a radio station.',
      inputSchema: { json: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] } },
    },
  }],
};

const USER = { role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] };
const TOOL_USE = { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', input: { sign: 'WZPZ' } };
const ASSISTANT = { role: 'assistant', content: [{ text: 'Let me look that up.' }, { toolUse: TOOL_USE }] };
const RESULT = {
  role: 'user',
  content: [{ toolResult: { toolUseId: TOOL_USE.toolUseId, content: [{ json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }] } }],
};

/** The final answer's text: multi-byte characters, so a mangled UTF-8 split shows. */
export const FINAL_TEXT = 'The most popular song on WZPZ is “Elemental Hotel” by 8 Storey Hike — enjoy 🎶';

function event(type: string, json: Record<string, unknown>, at: number): CassetteEvent {
  return { at, headers: { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, json };
}

const STREAM_HEADERS: [string, string][] = [
  ['Content-Type', 'application/vnd.amazon.eventstream'],
  ['x-amzn-RequestId', '5f1c9a43-0d5e-4a4e-9b8a-2c1f7f3e9a10'],
];

/** Round one: text, then a toolUse block streamed in fragments, then messageStop tool_use. */
const ROUND_ONE: CassetteEvent[] = [
  event('messageStart', { p: 'abcdefgh', role: 'assistant' }, 0),
  event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Let me look' }, p: 'abc' }, 5),
  event('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ' that up.' }, p: 'abcdef' }, 10),
  event('contentBlockStop', { contentBlockIndex: 0, p: 'abcd' }, 12),
  event('contentBlockStart', { contentBlockIndex: 1, p: 'ab', start: { toolUse: { name: 'top_song', toolUseId: TOOL_USE.toolUseId } } }, 15),
  event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '' } }, p: 'abcdefghi' }, 16),
  event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"sign": ' } }, p: 'abc' }, 18),
  event('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '"WZPZ"}' } }, p: 'abcdefg' }, 20),
  event('contentBlockStop', { contentBlockIndex: 1, p: 'abcdefghijk' }, 22),
  event('messageStop', { p: 'abcd', stopReason: 'tool_use' }, 23),
  event('metadata', { metrics: { latencyMs: 412 }, p: 'abcdefghijklm', usage: { inputTokens: 61, outputTokens: 25, totalTokens: 86 } }, 24),
];

/** Round two: the final answer after the tool result. */
const ROUND_TWO: CassetteEvent[] = [
  event('messageStart', { p: 'abcdefgh', role: 'assistant' }, 0),
  ...[FINAL_TEXT.slice(0, 33), FINAL_TEXT.slice(33, 60), FINAL_TEXT.slice(60)].map((text, i) =>
    event('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdefghij'.slice(0, 3 + i) }, 5 + i)),
  event('contentBlockStop', { contentBlockIndex: 0, p: 'abcd' }, 12),
  event('messageStop', { p: 'abcdefg', stopReason: 'end_turn' }, 13),
  event('metadata', { metrics: { latencyMs: 388 }, p: 'abcdefghijkl', usage: { inputTokens: 104, outputTokens: 19, totalTokens: 123 } }, 14),
];

/** The two converse-stream requests of the flow, as the client sends them. */
export const ROUND_ONE_BODY = { messages: [USER], toolConfig: TOOL_CONFIG };
export const ROUND_TWO_BODY = { messages: [USER, ASSISTANT, RESULT], toolConfig: TOOL_CONFIG };

/** The cassette: both rounds as converse-stream interactions. */
export function seedFlowCassette(id = 'test-seed-flow'): Cassette {
  return {
    version: 1,
    id,
    description: 'Two-round top_song tool use over converse-stream (test fixture).',
    source: { origin: 'synthetic', from: 'test/gateway-fixture.ts' },
    interactions: [
      { request: { operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_ONE_BODY }, response: { status: 200, headers: STREAM_HEADERS, events: ROUND_ONE } },
      { request: { operation: 'converse-stream', modelId: SEED_MODEL, body: ROUND_TWO_BODY }, response: { status: 200, headers: STREAM_HEADERS, events: ROUND_TWO } },
    ],
  };
}
