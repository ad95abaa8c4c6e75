// Puts an assistant turn back together from OpenAI chat completion chunks: real gateways split
// text and tool-call `arguments` across many chunks, and interleave parallel calls by `index`.
import type { AssembledMessage, ChatToolCall } from '../suites/chat-driver.ts';

/** Feed each parsed chunk in order; `message()` is undefined until a chunk carried a choice. */
export interface SseChatAssembler {
  add(chunk: unknown): void;
  message(): AssembledMessage | undefined;
}

interface PartialCall {
  id?: string;
  name?: string;
  arguments: string;
}

/** Narrows to a plain object so chunk fields can be read without trusting the server. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fragment that is not text (a gateway bug) still shows up, as JSON, rather than vanishing. */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Content concatenated; tool calls merged by `index` (id and name from the first fragment that has them, arguments concatenated); the last non-null finish_reason. */
export function createSseChatAssembler(): SseChatAssembler {
  let sawChoice = false;
  let content = '';
  let finishReason: string | undefined;
  const calls = new Map<number, PartialCall>();
  let lastIndex = -1;

  // Without an `index` (some translations omit it), a new id opens the next call and anything else continues the last one.
  const indexOf = (fragment: Record<string, unknown>, id: string | undefined): number => {
    if (typeof fragment.index === 'number') return fragment.index;
    if (id !== undefined && ![...calls.values()].some((call) => call.id === id)) return calls.size === 0 ? 0 : Math.max(...calls.keys()) + 1;
    return Math.max(lastIndex, 0);
  };

  const addCall = (fragment: unknown): void => {
    if (!isRecord(fragment)) return;
    const fn = isRecord(fragment.function) ? fragment.function : {};
    const id = typeof fragment.id === 'string' && fragment.id !== '' ? fragment.id : undefined;
    const index = indexOf(fragment, id);
    lastIndex = index;
    const call = calls.get(index) ?? { arguments: '' };
    calls.set(index, call);
    call.id ??= id;
    if (call.name === undefined && typeof fn.name === 'string' && fn.name !== '') call.name = fn.name;
    call.arguments += asText(fn.arguments);
  };

  return {
    add(chunk: unknown): void {
      if (!isRecord(chunk) || !Array.isArray(chunk.choices)) return;
      for (const choice of chunk.choices) {
        if (!isRecord(choice) || (choice.index ?? 0) !== 0) continue;
        sawChoice = true;
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
        const delta = isRecord(choice.delta) ? choice.delta : {};
        content += asText(delta.content);
        if (Array.isArray(delta.tool_calls)) for (const fragment of delta.tool_calls) addCall(fragment);
      }
    },
    message(): AssembledMessage | undefined {
      if (!sawChoice) return undefined;
      const toolCalls: ChatToolCall[] = [...calls.entries()]
        .sort(([a], [b]) => a - b)
        .map(([, call]) => ({ id: call.id ?? '', type: 'function', function: { name: call.name ?? '', arguments: call.arguments } }));
      return finishReason === undefined ? { content, toolCalls } : { content, toolCalls, finishReason };
    },
  };
}
