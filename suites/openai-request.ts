// A recorded Converse request, said the way an OpenAI-compatible client says it, so a translating
// gateway that turns it back into Converse sends the mock the conversation the cassette holds.
import type { ChatMessage, ChatRequest, ChatTool, ChatToolCall } from './chat-driver.ts';

type Obj = Record<string, any>;

function texts(blocks: unknown): string {
  return (Array.isArray(blocks) ? blocks : []).map((b: Obj) => (typeof b?.text === 'string' ? b.text : '')).join('');
}

/** A toolResult's content as the text a `tool` message carries (JSON values as JSON text). */
export function toolResultText(content: unknown): string {
  return (Array.isArray(content) ? content : []).map((c: Obj) => (c?.json !== undefined ? JSON.stringify(c.json) : c?.text ?? '')).join('');
}

function messagesOf(message: Obj): ChatMessage[] {
  const blocks: Obj[] = Array.isArray(message?.content) ? message.content : [];
  if (message?.role === 'assistant') {
    const calls: ChatToolCall[] = blocks.filter((b) => b.toolUse).map((b) => ({
      id: b.toolUse.toolUseId, type: 'function', function: { name: b.toolUse.name, arguments: JSON.stringify(b.toolUse.input ?? {}) },
    }));
    const text = texts(blocks);
    return [{ role: 'assistant', content: text === '' ? null : text, ...(calls.length ? { tool_calls: calls } : {}) }];
  }
  const results = blocks.filter((b) => b.toolResult);
  if (results.length > 0) {
    return results.map((b) => ({ role: 'tool', tool_call_id: b.toolResult.toolUseId, content: toolResultText(b.toolResult.content) }));
  }
  return [{ role: 'user', content: texts(blocks) }];
}

/** The chat request for a Converse body: system, messages, tools and max tokens carried over. */
export function chatRequestFor(modelId: string, body: unknown, stream: boolean): ChatRequest {
  const b = (body ?? {}) as Obj;
  const system = texts(b.system);
  const messages: ChatMessage[] = [
    ...(system ? [{ role: 'system' as const, content: system }] : []),
    ...(Array.isArray(b.messages) ? b.messages : []).flatMap(messagesOf),
  ];
  const tools: ChatTool[] = (b.toolConfig?.tools ?? []).filter((t: Obj) => t?.toolSpec).map((t: Obj) => ({
    type: 'function',
    function: { name: t.toolSpec.name, ...(t.toolSpec.description ? { description: t.toolSpec.description } : {}), parameters: t.toolSpec.inputSchema?.json ?? {} },
  }));
  const maxTokens = b.inferenceConfig?.maxTokens;
  return { model: modelId, messages, stream, ...(tools.length ? { tools } : {}), ...(typeof maxTokens === 'number' ? { max_tokens: maxTokens } : {}) };
}
