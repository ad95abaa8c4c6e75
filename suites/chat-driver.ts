// What a suite asks of an OpenAI-compatible client: send one chat completion through a
// translating gateway (Portkey, LiteLLM, Kong's OpenAI format) and say what arrived.

/** A tool call as OpenAI chat completions carry it (`arguments` is JSON text). */
export interface ChatToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ChatToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

export interface ChatTool {
  type: 'function';
  function: { name: string; description?: string; parameters: unknown };
}

/** One chat completion request as plain data. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  tools?: ChatTool[];
  stream: boolean;
  max_tokens?: number;
  /** Extra request headers for this call only (the driver's own headers still apply). */
  headers?: Record<string, string>;
  /** Give up after this long and report a hang (default 15 s). */
  timeoutMs?: number;
}

/** The assistant turn put back together from a response or from all stream chunks. */
export interface AssembledMessage {
  content: string;
  /** In index order; a call's `arguments` are the concatenation of every fragment received. */
  toolCalls: ChatToolCall[];
  finishReason?: string;
}

/** Where a failure showed: an HTTP error status, an error inside the stream, the socket, or bytes that do not parse. */
export type ChatErrorWhere = 'http' | 'stream' | 'transport' | 'parse' | 'timeout';

export interface ChatObservation {
  /** performance.now() when the request was sent. */
  sentAt: number;
  status?: number;
  /** Parsed `data:` payloads of a stream, in order, each with its arrival time ([DONE] excluded). */
  chunks: { t: number; data: unknown }[];
  /** Each read from the socket: when and how many bytes. */
  reads: { t: number; bytes: number }[];
  /** Present when the response (or the stream so far) held an assistant turn. */
  message?: AssembledMessage;
  /** True when a stream ended with `data: [DONE]`. */
  sawDone: boolean;
  /** Set on any failure; `type` and `code` come from an OpenAI-shaped `{"error": {...}}` body when there is one. */
  error?: { where: ChatErrorWhere; message: string; type?: string; code?: string; status?: number; t: number };
  /** The response body as text, cut to 4 KB, for evidence. */
  bodyText: string;
  endedAt: number;
}

export interface ChatDriver {
  /** POSTs to the gateway's /v1/chat/completions and observes the outcome. Never throws for a gateway's misbehaviour. */
  chat(request: ChatRequest): Promise<ChatObservation>;
}
