// Seeded builders for WIRE-exact synthetic responses (padding, key order, event order as AWS sends them).
import type { CassetteEvent, CassetteResponse } from './cassette.ts';
import { mulberry32 as seededRandom } from './seeded-random.ts';
import {
  BEDROCK_ERROR_NAMESPACE, ERROR_STATUS, EVENTSTREAM_CONTENT_TYPE, PADDING_ALPHABET,
  type BedrockErrorType, type Operation, type StreamExceptionType,
} from './wire-constants.ts';

/** The `"p"` value AWS pads with: a prefix of PADDING_ALPHABET, 2..61 characters (as observed). */
export function padding(random: () => number): string {
  return PADDING_ALPHABET.slice(0, 2 + Math.floor(random() * 60));
}

/** A copy with object keys sorted at every level, as AWS serialises event payloads and bodies. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeysDeep(v)]));
}

/** A v4-shaped uuid drawn from the seed: deterministic `x-amzn-RequestId`s. */
export function synthRequestId(seed: number): string {
  const random = seededRandom(seed ^ 0x5eed1d);
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A seeded id shaped like Bedrock's: `tooluse_` + 22 base64url chars by default; Anthropic's use base62. */
export function synthId(seed: number, prefix = 'tooluse_', length = 22, alphabet = BASE64URL): string {
  const random = seededRandom(seed ^ 0x1d1d1d);
  return prefix + Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

/** A tool call as the model streams it: `inputFragments` concatenate to the JSON input. */
export interface SynthToolUse {
  name: string;
  id: string;
  inputFragments: string[];
}

/** Token counts of one turn; `totalTokens` defaults to input + output. */
export interface SynthUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens?: number;
}

/** One Converse assistant turn: text deltas (block 0), then tool calls, then the stop reason. */
export interface ConverseTurnSpec {
  text?: string[];
  toolUses?: SynthToolUse[];
  stopReason: string;
  usage: SynthUsage;
  latencyMs?: number;
  /** Claude on Bedrock adds `serviceTier: {type}` to metadata (envoy capture). */
  serviceTier?: string;
  seed: number;
}

const EVENT_HEADERS = (type: string) => ({ ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' });

/** Builds frames with padded, key-sorted payloads and increasing `at` times. */
function eventBuilder(seed: number) {
  const random = seededRandom(seed);
  let at = 150 + Math.floor(random() * 400);
  return {
    random,
    event(type: string, payload: Record<string, unknown>): CassetteEvent {
      const event = { at, headers: EVENT_HEADERS(type), json: sortKeysDeep({ ...payload, p: padding(random) }) };
      at += 5 + Math.floor(random() * 45);
      return event;
    },
    chunk(bytes: unknown): CassetteEvent {
      const event = { at, headers: EVENT_HEADERS('chunk'), chunk: { bytes, p: padding(random) } };
      at += 5 + Math.floor(random() * 45);
      return event;
    },
  };
}

const total = (u: SynthUsage) => ({ ...u, totalTokens: u.totalTokens ?? u.inputTokens + u.outputTokens });

/** ConverseStream frames for one turn, in WIRE.md order (no contentBlockStart for text). */
export function synthConverseTurn(spec: ConverseTurnSpec): CassetteEvent[] {
  const b = eventBuilder(spec.seed);
  const events = [b.event('messageStart', { role: 'assistant' })];
  let index = 0;
  if (spec.text?.length) {
    for (const text of spec.text) events.push(b.event('contentBlockDelta', { contentBlockIndex: 0, delta: { text } }));
    events.push(b.event('contentBlockStop', { contentBlockIndex: 0 }));
    index = 1;
  }
  for (const tool of spec.toolUses ?? []) {
    events.push(b.event('contentBlockStart', { contentBlockIndex: index, start: { toolUse: { name: tool.name, toolUseId: tool.id } } }));
    for (const input of tool.inputFragments) {
      events.push(b.event('contentBlockDelta', { contentBlockIndex: index, delta: { toolUse: { input } } }));
    }
    events.push(b.event('contentBlockStop', { contentBlockIndex: index }));
    index += 1;
  }
  events.push(b.event('messageStop', { stopReason: spec.stopReason }));
  const latencyMs = spec.latencyMs ?? 300 + Math.floor(b.random() * 1700);
  const tier = spec.serviceTier === undefined ? {} : { serviceTier: { type: spec.serviceTier } };
  events.push(b.event('metadata', { metrics: { latencyMs }, usage: total(spec.usage), ...tier }));
  return events;
}

/** The non-stream Converse body for the same turn, key-sorted (metrics, output, stopReason, usage). */
export function synthConverseBody(spec: ConverseTurnSpec): unknown {
  const content: unknown[] = [];
  if (spec.text?.length) content.push({ text: spec.text.join('') });
  for (const tool of spec.toolUses ?? []) {
    content.push({ toolUse: { input: JSON.parse(tool.inputFragments.join('')), name: tool.name, toolUseId: tool.id } });
  }
  const latencyMs = spec.latencyMs ?? 300 + Math.floor(seededRandom(spec.seed)() * 1700);
  return sortKeysDeep({
    metrics: { latencyMs }, output: { message: { content, role: 'assistant' } },
    stopReason: spec.stopReason, usage: total(spec.usage),
  });
}

/** One Anthropic Messages turn as Bedrock's invoke APIs return it (model id without the `us.` prefix). */
export interface AnthropicTurnSpec extends Omit<ConverseTurnSpec, 'serviceTier'> {
  model: string;
  messageId: string;
  firstByteLatencyMs?: number;
}

function anthropicContent(spec: AnthropicTurnSpec): { type: string; [k: string]: unknown }[] {
  const blocks: { type: string; [k: string]: unknown }[] = [];
  if (spec.text?.length) blocks.push({ type: 'text', text: spec.text.join('') });
  for (const t of spec.toolUses ?? []) blocks.push({ type: 'tool_use', id: t.id, name: t.name, input: JSON.parse(t.inputFragments.join('')) });
  return blocks;
}

/** InvokeModelWithResponseStream `chunk` frames carrying Anthropic's events in the model's own key order. */
export function synthInvokeAnthropicStream(spec: AnthropicTurnSpec): CassetteEvent[] {
  const b = eventBuilder(spec.seed);
  const usage = { input_tokens: spec.usage.inputTokens, output_tokens: 1 + Math.floor(b.random() * 3) };
  const events = [b.chunk({ type: 'message_start', message: {
    id: spec.messageId, type: 'message', role: 'assistant', model: spec.model, content: [],
    stop_reason: null, stop_sequence: null, usage } })];
  anthropicContent(spec).forEach((block, index) => {
    if (block.type === 'text') {
      events.push(b.chunk({ type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const text of spec.text ?? []) events.push(b.chunk({ type: 'content_block_delta', index, delta: { type: 'text_delta', text } }));
    } else {
      const tool = spec.toolUses!.find((t) => t.id === block.id)!;
      events.push(b.chunk({ type: 'content_block_start', index, content_block: { type: 'tool_use', id: tool.id, name: tool.name, input: {} } }));
      for (const partial_json of tool.inputFragments) {
        events.push(b.chunk({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } }));
      }
    }
    events.push(b.chunk({ type: 'content_block_stop', index }));
  });
  events.push(b.chunk({ type: 'message_delta', delta: { stop_reason: spec.stopReason, stop_sequence: null }, usage: { output_tokens: spec.usage.outputTokens } }));
  const invocationLatency = spec.latencyMs ?? 800 + Math.floor(b.random() * 3000);
  events.push(b.chunk({ type: 'message_stop', 'amazon-bedrock-invocationMetrics': {
    inputTokenCount: spec.usage.inputTokens, outputTokenCount: spec.usage.outputTokens,
    invocationLatency, firstByteLatency: spec.firstByteLatencyMs ?? Math.floor(invocationLatency / 5) } }));
  return events;
}

/** InvokeModel's body for an Anthropic turn: the model's JSON, unsorted, as Anthropic writes it. */
export function synthInvokeAnthropicBody(spec: AnthropicTurnSpec): unknown {
  return {
    id: spec.messageId, type: 'message', role: 'assistant', model: spec.model, content: anthropicContent(spec),
    stop_reason: spec.stopReason, stop_sequence: null,
    usage: { input_tokens: spec.usage.inputTokens, output_tokens: spec.usage.outputTokens },
  };
}

/** A mid-stream exception frame (`:message-type: exception`), payload `{"message": …}`. */
export function synthStreamException(type: StreamExceptionType, message: string, at: number): CassetteEvent {
  return { at, headers: { ':exception-type': type, ':content-type': 'application/json', ':message-type': 'exception' }, json: { message } };
}

/** A 200 response with the headers AWS sends (invoke streams add X-Amzn-Bedrock-Content-Type). */
export function synthSuccessResponse(operation: Operation, seed: number, body: { events: CassetteEvent[] } | { json: unknown }): CassetteResponse {
  const stream = 'events' in body;
  const headers: [string, string][] = [
    ['Content-Type', stream ? EVENTSTREAM_CONTENT_TYPE : 'application/json'],
    ['x-amzn-RequestId', synthRequestId(seed)],
  ];
  if (operation === 'invoke-with-response-stream') headers.push(['X-Amzn-Bedrock-Content-Type', 'application/json']);
  return { status: 200, headers, ...body };
}

/** A Bedrock error response: status by type, `x-amzn-ErrorType` with namespace, body `{"message": …}`. */
export function synthErrorResponse(type: BedrockErrorType, message: string, seed: number): CassetteResponse {
  return {
    status: ERROR_STATUS[type],
    headers: [
      ['Content-Type', 'application/json'],
      ['x-amzn-RequestId', synthRequestId(seed)],
      ['x-amzn-ErrorType', `${type}${BEDROCK_ERROR_NAMESPACE}`],
    ],
    json: { message },
  };
}
