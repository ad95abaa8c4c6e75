// The part of a request body that decides which recorded answer fits: the conversation itself.
// Gateways and clients legitimately differ in the rest (system: [], toolChoice, inference
// settings, tool results sent as JSON or as JSON text), so only the messages are compared.

type Block = Record<string, unknown>;

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.trim();
  }
}

/** Tool results may be `{json: v}` or `{text: JSON.stringify(v)}` (clients differ): both become v. */
function resultContent(content: unknown): unknown[] {
  const items = Array.isArray(content) ? content : typeof content === 'string' ? [{ text: content }] : [];
  return items.map((item: Block) => {
    if (item && typeof item === 'object') {
      if ('json' in item) return item.json;
      if (typeof item.text === 'string') return parseJsonText(item.text);
      if (item.type === 'text' && typeof item.text === 'string') return parseJsonText(item.text);
    }
    return item;
  });
}

function toolInput(input: unknown): unknown {
  return typeof input === 'string' ? parseJsonText(input) : input;
}

/** One content block in a shape shared by Converse and Anthropic's native (invoke) format. */
function normalizeBlock(block: unknown): unknown {
  if (typeof block === 'string') return { text: block.trim() };
  if (!block || typeof block !== 'object') return block;
  const b = block as Block;
  if (typeof b.text === 'string' && (b.type === undefined || b.type === 'text')) return { text: b.text.trim() };
  if (b.toolUse && typeof b.toolUse === 'object') {
    const t = b.toolUse as Block;
    return { toolUse: { name: t.name, input: toolInput(t.input) } };
  }
  if (b.type === 'tool_use') return { toolUse: { name: b.name, input: toolInput(b.input) } };
  if (b.toolResult && typeof b.toolResult === 'object') {
    const t = b.toolResult as Block;
    return { toolResult: { content: resultContent(t.content), error: t.status === 'error' } };
  }
  if (b.type === 'tool_result') return { toolResult: { content: resultContent(b.content), error: b.is_error === true } };
  return null; // cache points, reasoning and other decorations do not change which answer fits
}

/** Sorted-key JSON, so two equal values always print the same. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Block).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The normalized conversation of a Converse or Anthropic-native request body. */
export function conversationOf(body: unknown): { role: unknown; content: unknown[] }[] {
  const messages = body && typeof body === 'object' ? (body as Block).messages : undefined;
  if (!Array.isArray(messages)) return [];
  return messages.map((m: Block) => {
    const raw = m?.content;
    const blocks = Array.isArray(raw) ? raw : [raw];
    return { role: m?.role, content: blocks.map(normalizeBlock).filter((x) => x !== null) };
  });
}

/** A string that is equal for two bodies exactly when they hold the same conversation. */
export function conversationKey(body: unknown): string {
  return stableJson(conversationOf(body));
}
