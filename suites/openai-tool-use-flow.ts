// The two-round tool-use flow as an OpenAI-compatible client does it through a translating gateway:
// tool_calls in, `tool` messages back, the final answer compared with the recording.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { toolCalls, type AssistantTurn } from './assistant-turn.ts';
import type { ChatMessage, ChatRequest } from './chat-driver.ts';
import { describeChatOutcome, messageDifference } from './chat-outcome.ts';
import { answeredBy, describeRecord, preferring, recordsSince } from './mock-records.ts';
import { chatRequestFor, toolResultText } from './openai-request.ts';
import { recordedTurn } from './recorded-response.ts';
import type { SuiteContext } from './suite.ts';
import { recordedToolResults, TOOL_TABLE } from './tool-results.ts';

type Obj = Record<string, any>;

/** What a chat flow needs from the context. */
export type ChatFlowContext = Pick<SuiteContext, 'mock'> & { chat: NonNullable<SuiteContext['chat']> };

export interface ChatFlowOutcome {
  ok: boolean;
  message: string;
  evidence: string[];
}

/** Whether a cassette's flow can be said in chat completions: Converse, two rounds. */
export function isChatFlow(cassette: Cassette): boolean {
  const op = cassette.interactions[0]?.request.operation;
  return cassette.interactions.length >= 2 && (op === 'converse' || op === 'converse-stream');
}

/** The `tool` message answering one call: the seed's tool run for real, else the recorded result. */
function toolMessage(id: string, name: string, args: string, recorded: Map<string, unknown>): ChatMessage | string {
  const tool = TOOL_TABLE[name];
  if (tool) {
    let input: Obj = {};
    try {
      input = JSON.parse(args || '{}');
    } catch {
      return `tool call ${name} (${id}) has arguments that are not JSON: ${args.slice(0, 120)}`;
    }
    const outcome = tool(input);
    return { role: 'tool', tool_call_id: id, content: outcome.ok ? JSON.stringify(outcome.json) : outcome.error };
  }
  const block = recorded.get(id) as Obj | undefined;
  if (!block?.toolResult) return `no result for tool call ${name} (${id}): the runner does not implement it and the recording has no toolResult with that id`;
  return { role: 'tool', tool_call_id: id, content: toolResultText(block.toolResult.content) };
}

function expectedTurn(cassette: Cassette, i: number): AssistantTurn | undefined {
  const turn = recordedTurn(cassette.interactions[i]!);
  return turn.ok ? turn.turn : undefined;
}

/** Drives the flow recorded in `cassette` through ctx.chat; never throws for gateway faults. */
export function runChatToolFlow(ctx: ChatFlowContext, cassette: Cassette): Promise<ChatFlowOutcome> {
  return preferring(ctx.mock, cassette.id, () => driveFlow(ctx, cassette));
}

async function round(ctx: ChatFlowContext, cassette: Cassette, i: number, request: ChatRequest, out: ChatFlowOutcome) {
  const since = ctx.mock.log.lastSeq;
  const obs = await ctx.chat.chat(request);
  const mine = recordsSince(ctx.mock.log, since, () => true);
  const record = answeredBy(ctx.mock.log, since, cassette.id, i);
  const mock = record ? describeRecord(record) : mine.length ? mine.map(describeRecord).join('; ') : 'the mock received no request';
  out.evidence.push(`round ${i + 1}: ${describeChatOutcome(obs)}; ${mock}`);
  return { obs, record, mock };
}

async function driveFlow(ctx: ChatFlowContext, cassette: Cassette): Promise<ChatFlowOutcome> {
  const out: ChatFlowOutcome = { ok: false, message: '', evidence: [] };
  const fail = (message: string) => ({ ...out, message });
  const [first, second] = cassette.interactions;
  if (!first || !second) return fail(`cassette ${cassette.id} does not hold two rounds`);
  const { modelId, operation } = first.request;
  const stream = operation === 'converse-stream';
  const ask = chatRequestFor(modelId, first.request.body, stream);

  const r1 = await round(ctx, cassette, 0, ask, out);
  if (!r1.record) return fail(`round 1 was not answered by ${cassette.id} interaction 0: ${r1.mock}`);
  if (r1.obs.error || !r1.obs.message) return fail(`round 1 failed: ${describeChatOutcome(r1.obs)}`);
  const want1 = expectedTurn(cassette, 0);
  const diff1 = want1 && messageDifference(want1, r1.obs.message);
  if (diff1) return fail(`round 1's assistant turn differs from the recording: ${diff1}`);
  const calls = r1.obs.message.toolCalls;
  if (calls.length === 0) return fail(`round 1 brought no tool call (finish_reason ${r1.obs.message.finishReason ?? 'none'})`);

  const recorded = recordedToolResults(second.request.body);
  const replies: ChatMessage[] = [];
  for (const call of calls) {
    const reply = toolMessage(call.id, call.function.name, call.function.arguments, recorded);
    if (typeof reply === 'string') return fail(reply);
    replies.push(reply);
    out.evidence.push(`tool call ${call.function.name}(${call.function.arguments.slice(0, 80)}) id ${call.id} → tool message sent back`);
  }
  // What an OpenAI client sends back: the assistant message exactly as it arrived.
  const assistant: ChatMessage = { role: 'assistant', content: r1.obs.message.content || null, tool_calls: calls };
  const followUp: ChatRequest = { ...ask, messages: [...ask.messages, assistant, ...replies] };

  const r2 = await round(ctx, cassette, 1, followUp, out);
  if (!r2.record) return fail(`round 2 was not answered by ${cassette.id} interaction 1: ${r2.mock}`);
  if (r2.obs.error || !r2.obs.message) return fail(`round 2 failed: ${describeChatOutcome(r2.obs)}`);
  const want2 = expectedTurn(cassette, 1);
  const diff2 = want2 && messageDifference(want2, r2.obs.message);
  if (diff2) return fail(`the final answer differs from the recording: ${diff2}`);
  if (stream && !r2.obs.sawDone) return fail('the final stream ended without data: [DONE]');
  const chars = [...r2.obs.message.content].length;
  const expectedCalls = want1 ? toolCalls(want1).length : calls.length;
  return { ...out, ok: true, message: `${expectedCalls} tool call(s) answered with tool messages; the final answer matches the recording (${chars} characters)` };
}
