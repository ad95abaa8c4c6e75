// Two-round tool-use cassettes made at run time, WIRE-exact (synthetic-events builders), each with
// its own prompt, tool calls and answer: for parallel calls, concurrency and request fidelity.
import type { Cassette, CassetteResponse } from '../mock-bedrock/cassette.ts';
import {
  synthConverseBody, synthConverseTurn, synthId, synthInvokeAnthropicBody, synthInvokeAnthropicStream,
  synthSuccessResponse, type AnthropicTurnSpec, type ConverseTurnSpec,
} from '../mock-bedrock/synthetic-events.ts';
import type { RunningMock } from '../mock-bedrock/start-mock.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';
import { dialectOf } from './assistant-turn.ts';
import { resultBlock, type ToolOutcome } from './tool-results.ts';

/** One tool call the synthetic model makes, and what the tool answers. */
export interface SyntheticCall {
  name: string;
  input: Record<string, unknown>;
  outcome: ToolOutcome;
}

/** A two-round flow to synthesise: what the user asks, which tools get called, what the model answers. */
export interface SyntheticFlowSpec {
  id: string;
  operation: Operation;
  seed: number;
  prompt: string;
  /** Text the model says before its tool calls. */
  preamble: string;
  calls: SyntheticCall[];
  /** The final answer of round 2. */
  answer: string;
  modelId?: string;
  /** Extra request fields for both rounds (system, inferenceConfig, additionalModelRequestFields, …). */
  extra?: Record<string, unknown>;
  /** Converse `toolConfig.toolChoice`. */
  toolChoice?: unknown;
}

const CONVERSE_MODEL = 'cohere.command-r-v1:0';
const CLAUDE_MODEL = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Text cut into deltas of up to three words, as models stream it. */
export function textPieces(text: string): string[] {
  const words = text.match(/\S+\s*|\s+/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 3) out.push(words.slice(i, i + 3).join(''));
  return out.length ? out : [text];
}

/** Tool input JSON as a model streams it: an empty first delta, then two halves (cut between code points). */
function fragments(input: unknown): string[] {
  const points = [...JSON.stringify(input)];
  const half = Math.ceil(points.length / 2);
  return ['', points.slice(0, half).join(''), points.slice(half).join('')];
}

function schemaOf(input: Record<string, unknown>) {
  const properties = Object.fromEntries(Object.entries(input).map(([k, v]) => [k, { type: typeof v === 'number' ? 'number' : 'string' }]));
  return { type: 'object', properties, required: Object.keys(input) };
}

/** The cassette: round 1 asks for the calls, round 2 (with every result) answers `spec.answer`. */
export function syntheticToolFlow(spec: SyntheticFlowSpec): Cassette {
  const dialect = dialectOf(spec.operation);
  const anthropic = dialect === 'anthropic';
  const modelId = spec.modelId ?? (anthropic ? CLAUDE_MODEL : CONVERSE_MODEL);
  const ids = spec.calls.map((_, i) => (anthropic ? synthId(spec.seed * 16 + i, 'toolu_bdrk_01', 22, BASE62) : synthId(spec.seed * 16 + i)));
  const toolUses = spec.calls.map((c, i) => ({ name: c.name, id: ids[i]!, inputFragments: fragments(c.input) }));
  const usage = { inputTokens: 40 + (spec.seed % 400), outputTokens: 20 + (spec.seed % 90) };
  const round1 = { seed: spec.seed, text: textPieces(spec.preamble), toolUses, stopReason: 'tool_use', usage };
  const round2 = { seed: spec.seed + 1, text: textPieces(spec.answer), stopReason: 'end_turn', usage: { inputTokens: usage.inputTokens + 60, outputTokens: 30 } };
  const names = [...new Set(spec.calls.map((c) => c.name))];
  const inputOf = (name: string) => spec.calls.find((c) => c.name === name)!.input;
  const results = { role: 'user', content: spec.calls.map((c, i) => resultBlock(dialect, ids[i]!, c.outcome)) };

  let user: unknown;
  let assistant: unknown;
  let base: Record<string, unknown>;
  if (anthropic) {
    user = { role: 'user', content: [{ type: 'text', text: spec.prompt }] };
    assistant = { role: 'assistant', content: [{ type: 'text', text: spec.preamble }, ...spec.calls.map((c, i) => ({ type: 'tool_use', id: ids[i], name: c.name, input: c.input }))] };
    const tools = names.map((name) => ({ name, description: `Synthetic tool ${name}.`, input_schema: schemaOf(inputOf(name)) }));
    base = { anthropic_version: 'bedrock-2023-05-31', max_tokens: 512, tools };
  } else {
    user = { role: 'user', content: [{ text: spec.prompt }] };
    assistant = { role: 'assistant', content: [{ text: spec.preamble }, ...spec.calls.map((c, i) => ({ toolUse: { toolUseId: ids[i], name: c.name, input: c.input } }))] };
    const tools = names.map((name) => ({ toolSpec: { name, description: `Synthetic tool ${name}.`, inputSchema: { json: schemaOf(inputOf(name)) } } }));
    base = { toolConfig: spec.toolChoice === undefined ? { tools } : { tools, toolChoice: spec.toolChoice } };
  }
  const body = (messages: unknown[]) => ({ ...base, ...spec.extra, messages });
  const answer = (turn: ConverseTurnSpec): CassetteResponse => {
    const a: AnthropicTurnSpec = { ...turn, model: 'claude-3-5-sonnet-20240620', messageId: synthId(turn.seed, 'msg_bdrk_01', 22, BASE62) };
    switch (spec.operation) {
      case 'converse-stream': return synthSuccessResponse(spec.operation, turn.seed, { events: synthConverseTurn(turn) });
      case 'converse': return synthSuccessResponse(spec.operation, turn.seed, { json: synthConverseBody(turn) });
      case 'invoke-with-response-stream': return synthSuccessResponse(spec.operation, turn.seed, { events: synthInvokeAnthropicStream(a) });
      case 'invoke': return synthSuccessResponse(spec.operation, turn.seed, { json: synthInvokeAnthropicBody(a) });
    }
  };
  return {
    version: 1,
    id: spec.id,
    description: `Made at run time: ${spec.operation} two-round flow with ${spec.calls.length} tool call(s)`,
    source: { origin: 'synthetic', from: 'suites/synthetic-flow.ts (generated during the run)' },
    interactions: [
      { request: { operation: spec.operation, modelId, body: body([user]) }, response: answer(round1) },
      { request: { operation: spec.operation, modelId, body: body([user, assistant, results]) }, response: answer(round2) },
    ],
  };
}

/** Has the mock serve `cassettes` (ids it already serves are skipped); a refusal is a value. */
export function serveCassettes(mock: Pick<RunningMock, 'addCassettes' | 'cassettes'>, cassettes: Cassette[]): { ok: true } | { ok: false; reason: string } {
  const fresh = cassettes.filter((c) => !mock.cassettes.some((served) => served.id === c.id));
  try {
    if (fresh.length) mock.addCassettes(fresh);
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `the mock refused the run-time cassettes: ${(error as Error).message}` };
  }
}
