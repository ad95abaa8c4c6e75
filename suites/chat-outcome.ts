// A chat observation in words, and how its assembled message compares with a recorded turn.
import { toolCalls, turnText, type AssistantTurn } from './assistant-turn.ts';
import type { AssembledMessage, ChatObservation } from './chat-driver.ts';
import { describeTextDifference, shown } from './json-diff.ts';
import { stableJson } from '../mock-bedrock/conversation-key.ts';

/** The client's outcome in one line: "HTTP 429 error (rate_limit): msg" or "200, 12 chunk(s), [DONE], 40 ms". */
export function describeChatOutcome(obs: ChatObservation): string {
  const chunks = `${obs.chunks.length} chunk(s)`;
  if (obs.error) {
    const status = obs.error.status === undefined ? '' : ` HTTP ${obs.error.status}`;
    const kind = [obs.error.type, obs.error.code].filter(Boolean).join('/');
    const first = obs.error.message.split('\n')[0]!.slice(0, 240);
    return `${obs.error.where} error${status}${kind ? ` (${kind})` : ''}: ${first} — after ${chunks}, at ${Math.round(obs.error.t - obs.sentAt)} ms`;
  }
  const done = obs.chunks.length > 0 ? (obs.sawDone ? ', [DONE]' : ', no [DONE]') : '';
  return `${obs.status ?? '?'}, ${chunks}${done}, ${Math.round(obs.endedAt - obs.sentAt)} ms`;
}

/** Parses tool-call arguments; undefined stands for "not JSON". */
function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text === '' ? '{}' : text);
  } catch {
    return undefined;
  }
}

/** What a message is judged on: its text, and each tool call's name and parsed arguments. */
interface ExpectedMessage {
  content: string;
  toolCalls: { name: string; input: unknown }[];
}

function expectedDifference(want: ExpectedMessage, got: AssembledMessage, source: string): string | undefined {
  const text = describeTextDifference(want.content, got.content);
  if (text) return `the text ${text}`;
  if (want.toolCalls.length !== got.toolCalls.length) return `${got.toolCalls.length} tool call(s) arrived, ${source} has ${want.toolCalls.length}`;
  for (const [i, call] of want.toolCalls.entries()) {
    const seen = got.toolCalls[i]!;
    if (seen.function.name !== call.name) return `tool call ${i} is '${seen.function.name}', ${source} has '${call.name}'`;
    const args = parsedArguments(seen.function.arguments);
    if (args === undefined) return `tool call ${i} (${call.name}) has arguments that are not JSON: ${shown(seen.function.arguments, 120)}`;
    if (stableJson(args) !== stableJson(call.input ?? {})) return `tool call ${i} (${call.name}) has arguments ${shown(args, 100)}, ${source} has ${shown(call.input, 100)}`;
  }
  return undefined;
}

/** How `got` differs from the recorded turn (text, tool names and inputs), or undefined when it matches. */
export function messageDifference(expected: AssistantTurn, got: AssembledMessage): string | undefined {
  const want = { content: turnText(expected), toolCalls: toolCalls(expected).map((c) => ({ name: c.name, input: c.input })) };
  return expectedDifference(want, got, 'the recording');
}

/** How two assembled messages differ (text, tool calls, finish reason), or undefined when they are the same. */
export function assembledDifference(want: AssembledMessage, got: AssembledMessage): string | undefined {
  const calls = want.toolCalls.map((c) => ({ name: c.function.name, input: parsedArguments(c.function.arguments) }));
  const difference = expectedDifference({ content: want.content, toolCalls: calls }, got, 'the unsplit stream');
  if (difference) return difference;
  if (want.finishReason !== got.finishReason) return `finish_reason is ${got.finishReason ?? 'missing'}, the unsplit stream has ${want.finishReason ?? 'none'}`;
  return undefined;
}
