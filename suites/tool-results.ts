// The client's side of a tool call: run the tool (the seed's top_song), or, for tools the runner
// does not implement, send back the result the recording sent, found by its toolUseId.
import type { Dialect, ToolCall } from './assistant-turn.ts';

type Obj = Record<string, any>;

/** A tool's outcome: a JSON value, or an error message (sent with status 'error'). */
export type ToolOutcome = { ok: true; json: unknown } | { ok: false; error: string };

/** Tools the runner runs itself, copied from the seed script (seeds/000_a8ead60312a2fbf7.txt). */
export const TOOL_TABLE: Record<string, (input: Obj) => ToolOutcome> = {
  top_song: (input) => (input?.sign === 'WZPZ'
    ? { ok: true, json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }
    : { ok: false, error: `Station ${input?.sign} not found.` }),
};

/** Where a result block came from, for evidence. */
export type ResultSource = 'tool' | 'recording';

/** The toolResult blocks of a recorded request, by toolUseId (Converse and Anthropic shapes). */
export function recordedToolResults(body: unknown): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const messages = (body as Obj | null)?.messages;
  for (const message of Array.isArray(messages) ? messages : []) {
    for (const block of Array.isArray(message?.content) ? message.content : []) {
      if (block?.toolResult?.toolUseId) found.set(block.toolResult.toolUseId, block);
      else if (block?.type === 'tool_result' && block.tool_use_id) found.set(block.tool_use_id, block);
    }
  }
  return found;
}

/** A result block for `outcome` in the request dialect (seed shape: json content, or text + status). */
export function resultBlock(dialect: Dialect, id: string, outcome: ToolOutcome): unknown {
  if (dialect === 'converse') {
    return outcome.ok
      ? { toolResult: { toolUseId: id, content: [{ json: outcome.json }] } }
      : { toolResult: { toolUseId: id, content: [{ text: outcome.error }], status: 'error' } };
  }
  return outcome.ok
    ? { type: 'tool_result', tool_use_id: id, content: JSON.stringify(outcome.json) }
    : { type: 'tool_result', tool_use_id: id, content: outcome.error, is_error: true };
}

/** The block answering `call`: the tool's own result, else the recording's; a reason when neither exists. */
export function answerToolCall(
  dialect: Dialect, call: ToolCall, recorded: Map<string, unknown>,
): { ok: true; block: unknown; source: ResultSource } | { ok: false; reason: string } {
  const tool = TOOL_TABLE[call.name];
  if (tool) return { ok: true, block: resultBlock(dialect, call.id, tool((call.input ?? {}) as Obj)), source: 'tool' };
  const block = recorded.get(call.id);
  if (block !== undefined) return { ok: true, block, source: 'recording' };
  return { ok: false, reason: `no result for tool call ${call.name} (${call.id}): the runner does not implement it and the recording has no toolResult with that id` };
}
