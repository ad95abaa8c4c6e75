// The OpenAI-compatible client the runner drives translating gateways (Portkey, LiteLLM, Kong's
// OpenAI format) with: one chat completion over node:http, observed read by read, never throwing.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AssembledMessage, ChatDriver, ChatObservation, ChatRequest, ChatToolCall } from '../suites/chat-driver.ts';
import { asText, createSseChatAssembler, isRecord } from './sse-chat-assembler.ts';
import { createSseEventParser, type SseEvent } from './sse-event-parser.ts';

/** How long a call may take before it is reported as a hang. */
const DEFAULT_CHAT_TIMEOUT_MS = 15_000;

/** Evidence is cut to this many characters so a runaway body cannot bloat a report. */
const BODY_TEXT_LIMIT = 4096;

/** Where the gateway listens (http:// only), and headers or an API key sent with every call. */
export interface OpenAiChatDriverOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  apiKey?: string;
}

type ChatError = NonNullable<ChatObservation['error']>;

/** message, type and code from an OpenAI-shaped `{"error": {...}}` (or `{"error": "text"}`); undefined for anything else. */
function openAiError(body: unknown): Omit<ChatError, 'where' | 't'> | undefined {
  if (!isRecord(body) || body.error === undefined || body.error === null) return undefined;
  if (!isRecord(body.error)) return { message: asText(body.error) };
  const { message, type, code } = body.error;
  const error: Omit<ChatError, 'where' | 't'> = { message: typeof message === 'string' ? message : asText(body.error) };
  if (typeof type === 'string') error.type = type;
  if (typeof code === 'string' || typeof code === 'number') error.code = String(code);
  return error;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const quote = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** The assistant turn of a non-streamed 2xx body, or why there is none. */
function nonStreamOutcome(text: string): { message?: AssembledMessage; error?: Omit<ChatError, 't'> } {
  const parsed = parseJson(text);
  if (!parsed.ok) return { error: { where: 'parse', message: `response body is not JSON: ${quote(text)}` } };
  const inBody = openAiError(parsed.value);
  if (inBody) return { error: { where: 'http', ...inBody } };
  const choice = isRecord(parsed.value) && Array.isArray(parsed.value.choices) ? parsed.value.choices[0] : undefined;
  if (!isRecord(choice) || !isRecord(choice.message)) return { error: { where: 'parse', message: `response has no choices[0].message: ${quote(text)}` } };
  const calls = Array.isArray(choice.message.tool_calls) ? choice.message.tool_calls.filter(isRecord) : [];
  const toolCalls: ChatToolCall[] = calls.map((call) => {
    const fn = isRecord(call.function) ? call.function : {};
    return { id: asText(call.id), type: 'function', function: { name: asText(fn.name), arguments: asText(fn.arguments) } };
  });
  const message: AssembledMessage = { content: asText(choice.message.content), toolCalls };
  if (typeof choice.finish_reason === 'string') message.finishReason = choice.finish_reason;
  return { message };
}

/** What an in-stream error event or chunk says; undefined when the event is not an error. */
function streamError(event: SseEvent, parsed: unknown): Omit<ChatError, 't'> | undefined {
  const inChunk = openAiError(parsed);
  if (inChunk) return { where: 'stream', ...inChunk };
  if (event.event === 'error') return { where: 'stream', message: isRecord(parsed) && typeof parsed.message === 'string' ? parsed.message : event.data };
  return undefined;
}

/** A driver bound to one gateway; each `chat()` is one request on a fresh connection. */
export function createOpenAiChatDriver(options: OpenAiChatDriverOptions): ChatDriver {
  const url = new URL(`${options.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`);
  if (url.protocol !== 'http:') throw new Error(`openai chat driver: only http:// gateways are supported, got ${options.baseUrl}`);
  return { chat: (request) => chatOnce(url, options, request) };
}

function requestBody(request: ChatRequest): Buffer {
  const body: Record<string, unknown> = { model: request.model, messages: request.messages };
  if (request.tools !== undefined) body.tools = request.tools;
  body.stream = request.stream;
  if (request.max_tokens !== undefined) body.max_tokens = request.max_tokens;
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function chatOnce(url: URL, options: OpenAiChatDriverOptions, request: ChatRequest): Promise<ChatObservation> {
  const body = requestBody(request);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...(options.apiKey !== undefined ? { authorization: `Bearer ${options.apiKey}` } : {}),
    ...options.headers,
    ...request.headers,
    'content-length': String(body.length),
  };
  const obs: ChatObservation = { sentAt: performance.now(), chunks: [], reads: [], sawDone: false, bodyText: '', endedAt: 0 };
  const assembler = createSseChatAssembler();
  const decoder = new TextDecoder('utf-8');
  const whole: string[] = [];
  let streaming = false;
  let readAt = 0;
  let done = false;
  let req: ClientRequest | undefined;

  return new Promise<ChatObservation>((resolve) => {
    const finish = (error?: Omit<ChatError, 't'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      obs.endedAt = performance.now();
      if (error) obs.error = { ...error, ...(obs.status !== undefined && error.where === 'http' ? { status: obs.status } : {}), t: obs.endedAt };
      const message = streaming ? assembler.message() : undefined;
      if (message) obs.message = message;
      req?.destroy();
      resolve(obs);
    };

    const onEvent = (event: SseEvent) => {
      if (done) return;
      if (event.data.trim() === '[DONE]') {
        obs.sawDone = true;
        return;
      }
      const parsed = parseJson(event.data);
      if (!parsed.ok) {
        if (event.event === 'error') return finish({ where: 'stream', message: event.data });
        return finish({ where: 'parse', message: `stream data is not JSON: ${quote(event.data)}` });
      }
      obs.chunks.push({ t: readAt, data: parsed.value });
      const error = streamError(event, parsed.value);
      if (error) return finish(error);
      assembler.add(parsed.value);
    };
    const parser = createSseEventParser(onEvent);

    const take = (text: string) => {
      if (obs.bodyText.length < BODY_TEXT_LIMIT) obs.bodyText += text.slice(0, BODY_TEXT_LIMIT - obs.bodyText.length);
      if (streaming) parser.feed(text);
      else whole.push(text);
    };

    const onEnd = () => {
      take(decoder.decode());
      if (streaming) return finish();
      const text = whole.join('');
      const status = obs.status ?? 0;
      if (status < 200 || status > 299) {
        const parsed = parseJson(text);
        const fromBody = parsed.ok ? openAiError(parsed.value) : undefined;
        return finish({ where: 'http', ...(fromBody ?? { message: text === '' ? `HTTP ${status} with an empty body` : obs.bodyText }) });
      }
      const outcome = nonStreamOutcome(text);
      if (outcome.message) obs.message = outcome.message;
      finish(outcome.error);
    };

    const onResponse = (res: IncomingMessage) => {
      obs.status = res.statusCode ?? 0;
      streaming = request.stream && obs.status >= 200 && obs.status <= 299;
      res.on('data', (chunk: Buffer) => {
        readAt = performance.now();
        obs.reads.push({ t: readAt, bytes: chunk.length });
        take(decoder.decode(chunk, { stream: true }));
      });
      res.on('end', onEnd);
      res.on('error', (error) => finish({ where: 'transport', message: `response aborted: ${error.message}` }));
      res.on('close', () => {
        if (!res.complete) finish({ where: 'transport', message: 'connection closed or reset before the response ended' });
      });
    };

    const timeoutMs = request.timeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS;
    const timer = setTimeout(() => finish({ where: 'timeout', message: `no complete response after ${timeoutMs} ms` }), timeoutMs);
    obs.sentAt = performance.now();
    const transportError = (error: NodeJS.ErrnoException) => finish({ where: 'transport', message: `${error.code ?? error.name}: ${error.message}` });
    try {
      req = httpRequest({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 80, method: 'POST', path: url.pathname + url.search, headers, agent: false }, onResponse);
    } catch (error) {
      return transportError(error as NodeJS.ErrnoException);
    }
    req.on('error', transportError);
    req.end(body);
  });
}
