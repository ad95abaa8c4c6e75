// The assistant message a client rebuilds from what arrived, the way the seed boto3 script does it:
// text deltas joined, tool input fragments concatenated and JSON-parsed when the block stops.
import type { Operation } from '../mock-bedrock/wire-constants.ts';

type Obj = Record<string, any>;

/** One tool call the model asked for. */
export interface ToolCall {
  id: string;
  name: string;
  input: unknown;
}

/** One content block of the rebuilt message, in order. */
export type TurnBlock = { kind: 'text'; text: string } | { kind: 'toolUse'; call: ToolCall };

/** Converse shape for converse / converse-stream; Anthropic Messages shape for the invoke APIs. */
export type Dialect = 'converse' | 'anthropic';

/** A rebuilt assistant turn. */
export interface AssistantTurn {
  dialect: Dialect;
  role: string;
  blocks: TurnBlock[];
  stopReason?: string;
}

/** The rebuilt turn, or why it could not be rebuilt (tool input that is not JSON, no message). */
export type TurnResult = { ok: true; turn: AssistantTurn } | { ok: false; reason: string };

/** What a client saw: stream events (type + value) or a parsed non-stream body. */
export interface SeenResponse {
  events: readonly { type: string; value: unknown }[];
  output?: unknown;
}

/** The request/response dialect an operation speaks. */
export function dialectOf(operation: Operation): Dialect {
  return operation === 'converse' || operation === 'converse-stream' ? 'converse' : 'anthropic';
}

function parseInput(call: { id: string; name: string }, json: string): TurnResult | ToolCall {
  try {
    return { ...call, input: JSON.parse(json) };
  } catch (error) {
    return { ok: false, reason: `tool input for ${call.name} (${call.id}) is not JSON: ${JSON.stringify(json).slice(0, 200)} (${(error as Error).message})` };
  }
}

/** ConverseStream events, exactly as the seed script walks them. */
function fromConverseEvents(events: SeenResponse['events']): TurnResult {
  const blocks: TurnBlock[] = [];
  let role = '';
  let text = '';
  let stopReason: string | undefined;
  let tool: { id?: string; name?: string; input?: string } = {};
  for (const { type, value } of events) {
    const v = (value ?? {}) as Obj;
    if (type === 'messageStart') role = v.role;
    else if (type === 'contentBlockStart' && v.start?.toolUse) tool = { id: v.start.toolUse.toolUseId, name: v.start.toolUse.name };
    else if (type === 'contentBlockDelta' && v.delta?.toolUse) tool.input = (tool.input ?? '') + (v.delta.toolUse.input ?? '');
    else if (type === 'contentBlockDelta' && typeof v.delta?.text === 'string') text += v.delta.text;
    else if (type === 'contentBlockStop' && tool.input !== undefined) {
      const call = parseInput({ id: tool.id ?? '', name: tool.name ?? '' }, tool.input);
      if ('ok' in call) return call;
      blocks.push({ kind: 'toolUse', call });
      tool = {};
    } else if (type === 'contentBlockStop') {
      blocks.push({ kind: 'text', text });
      text = '';
    } else if (type === 'messageStop') stopReason = v.stopReason;
  }
  return { ok: true, turn: { dialect: 'converse', role, blocks, stopReason } };
}

/** An invoke-stream chunk's model event, whether the driver parsed the bytes or not. */
function chunkEvent(value: unknown): Obj {
  const v = (value ?? {}) as Obj;
  if (typeof v.type === 'string') return v;
  const bytes = v.bytes instanceof Uint8Array ? Buffer.from(v.bytes) : typeof v.bytes === 'string' ? Buffer.from(v.bytes, 'base64') : undefined;
  if (!bytes) return {};
  try {
    return JSON.parse(bytes.toString('utf8')) as Obj;
  } catch {
    return {};
  }
}

/** Anthropic Messages stream events (content_block_start / delta / stop) carried in `chunk`s. */
function fromAnthropicEvents(events: SeenResponse['events']): TurnResult {
  const blocks: TurnBlock[] = [];
  const open = new Map<number, { text?: string; id?: string; name?: string; json?: string; input?: unknown }>();
  let role = '';
  let stopReason: string | undefined;
  for (const { type, value } of events) {
    if (type !== 'chunk') continue;
    const e = chunkEvent(value);
    if (e.type === 'message_start') role = e.message?.role ?? role;
    else if (e.type === 'content_block_start') {
      const cb = e.content_block ?? {};
      open.set(e.index, cb.type === 'tool_use' ? { id: cb.id, name: cb.name, json: '', input: cb.input } : { text: cb.text ?? '' });
    } else if (e.type === 'content_block_delta') {
      const block = open.get(e.index);
      if (block && e.delta?.type === 'text_delta') block.text = (block.text ?? '') + e.delta.text;
      if (block && e.delta?.type === 'input_json_delta') block.json = (block.json ?? '') + e.delta.partial_json;
    } else if (e.type === 'content_block_stop') {
      const block = open.get(e.index);
      open.delete(e.index);
      if (!block) continue;
      if (block.id === undefined) blocks.push({ kind: 'text', text: block.text ?? '' });
      else {
        const call = block.json ? parseInput({ id: block.id, name: block.name ?? '' }, block.json) : { id: block.id, name: block.name ?? '', input: block.input ?? {} };
        if ('ok' in call) return call;
        blocks.push({ kind: 'toolUse', call });
      }
    } else if (e.type === 'message_delta') stopReason = e.delta?.stop_reason ?? stopReason;
  }
  return { ok: true, turn: { dialect: 'anthropic', role, blocks, stopReason } };
}

/** A non-stream body: Converse's `output.message`, or Anthropic's `content` list. */
function fromBody(dialect: Dialect, output: unknown): TurnResult {
  const body = (output ?? {}) as Obj;
  if (dialect === 'converse') {
    const message = body.output?.message;
    if (!message || !Array.isArray(message.content)) return { ok: false, reason: 'the Converse response has no output.message.content' };
    const blocks: TurnBlock[] = message.content.flatMap((b: Obj): TurnBlock[] => {
      if (typeof b.text === 'string') return [{ kind: 'text', text: b.text }];
      if (b.toolUse) return [{ kind: 'toolUse', call: { id: b.toolUse.toolUseId, name: b.toolUse.name, input: b.toolUse.input } }];
      return [];
    });
    return { ok: true, turn: { dialect, role: message.role, blocks, stopReason: body.stopReason } };
  }
  if (!Array.isArray(body.content)) return { ok: false, reason: 'the invoke response body has no content list' };
  const blocks: TurnBlock[] = body.content.flatMap((b: Obj): TurnBlock[] => {
    if (b.type === 'text') return [{ kind: 'text', text: b.text }];
    if (b.type === 'tool_use') return [{ kind: 'toolUse', call: { id: b.id, name: b.name, input: b.input } }];
    return [];
  });
  return { ok: true, turn: { dialect, role: body.role, blocks, stopReason: body.stop_reason } };
}

/** Rebuilds the assistant turn of one response of `operation`. */
export function assembleTurn(operation: Operation, seen: SeenResponse): TurnResult {
  const dialect = dialectOf(operation);
  if (operation === 'converse-stream') return fromConverseEvents(seen.events);
  if (operation === 'invoke-with-response-stream') return fromAnthropicEvents(seen.events);
  return fromBody(dialect, seen.output);
}

/** The turn's text, all text blocks joined (what the seed script prints). */
export function turnText(turn: AssistantTurn): string {
  return turn.blocks.map((b) => (b.kind === 'text' ? b.text : '')).join('');
}

/** The turn's tool calls in order. */
export function toolCalls(turn: AssistantTurn): ToolCall[] {
  return turn.blocks.flatMap((b) => (b.kind === 'toolUse' ? [b.call] : []));
}

/** The turn as the assistant message of the next request, in its dialect. */
export function turnMessage(turn: AssistantTurn): unknown {
  const role = turn.role || 'assistant';
  if (turn.dialect === 'converse') {
    return { role, content: turn.blocks.map((b) => (b.kind === 'text' ? { text: b.text } : { toolUse: { toolUseId: b.call.id, name: b.call.name, input: b.call.input } })) };
  }
  return { role, content: turn.blocks.map((b) => (b.kind === 'text' ? { type: 'text', text: b.text } : { type: 'tool_use', id: b.call.id, name: b.call.name, input: b.call.input })) };
}
