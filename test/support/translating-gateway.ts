// A small, correct OpenAI chat completions → Bedrock Converse gateway for tests, built on the real
// AWS SDK (its signer, its event-stream decoder), so the chat suites can be shown to be passable;
// deliberate flaws reproduce what real translators get wrong.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand,
  type ContentBlock, type ConverseStreamOutput, type Message, type SystemContentBlock, type Tool, type ToolResultContentBlock, type ToolUseBlock,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Deliberate bugs: end a broken stream with [DONE] as Portkey does; hold every SSE chunk until the end. */
export type TranslatingGatewayFlaw = 'swallow-exceptions' | 'buffer';

/** Where Bedrock is, what the gateway signs with, and which deliberate bugs it has. */
export interface TranslatingGatewayOptions {
  upstreamUrl: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  flaws?: readonly TranslatingGatewayFlaw[];
}

/** A started gateway: its base URL (POST {url}/v1/chat/completions), and a close that drops open sockets. */
export interface RunningTranslatingGateway {
  url: string;
  close(): Promise<void>;
}

type Obj = Record<string, unknown>;
/** The SDK's JSON document type (tool inputs, tool results, schemas). */
type Json = NonNullable<ToolUseBlock['input']>;
type ConverseInput = Pick<ConverseStreamCommand['input'], 'system' | 'messages' | 'toolConfig' | 'inferenceConfig'>;
/** A chat request translated for Converse, or why the client's body is malformed (a 400). */
export type Translation = { ok: true; model: string; stream: boolean; input: ConverseInput } | { ok: false; reason: string };

const BODY_LIMIT = 10 * 1024 * 1024;
const isRecord = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

class Malformed extends Error {}
const malformed = (reason: string): never => { throw new Malformed(reason); };

/** A message's text: a string, null, or OpenAI's array of `{type: 'text', text}` parts. */
function textOf(content: unknown, where: string): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (Array.isArray(content)) return content.map((p, i) => (isRecord(p) && typeof p.text === 'string' ? p.text : malformed(`${where}.content[${i}] is not a text part`))).join('');
  return malformed(`${where}.content must be a string or an array of text parts`);
}

function jsonObject(text: string): Obj | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function assistantBlocks(m: Obj, where: string): ContentBlock[] {
  const text = textOf(m.content, where);
  const blocks: ContentBlock[] = text === '' ? [] : [{ text }];
  const calls = m.tool_calls ?? [];
  if (!Array.isArray(calls)) malformed(`${where}.tool_calls must be an array`);
  for (const [i, call] of (calls as unknown[]).entries()) {
    const fn = isRecord(call) && isRecord(call.function) ? call.function : malformed(`${where}.tool_calls[${i}] has no function`);
    if (!isRecord(call) || typeof call.id !== 'string' || typeof fn.name !== 'string') malformed(`${where}.tool_calls[${i}] needs a string id and function.name`);
    const input = jsonObject(typeof fn.arguments === 'string' && fn.arguments !== '' ? fn.arguments : '{}') ?? malformed(`${where}.tool_calls[${i}].function.arguments is not a JSON object`);
    blocks.push({ toolUse: { toolUseId: (call as Obj).id as string, name: fn.name as string, input: input as Json } });
  }
  return blocks;
}

function toolResult(m: Obj, where: string): ContentBlock {
  if (typeof m.tool_call_id !== 'string') malformed(`${where}.tool_call_id must be a string`);
  const text = textOf(m.content, where);
  const parsed = jsonObject(text);
  const content: ToolResultContentBlock[] = [parsed ? { json: parsed as Json } : { text }];
  return { toolResult: { toolUseId: m.tool_call_id as string, content } };
}

function converseInput(body: Obj): ConverseInput {
  // An empty list is well-formed; whether it is acceptable is Bedrock's call (it answers a ValidationException).
  if (!Array.isArray(body.messages)) malformed('messages must be an array');
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  let results: ContentBlock[] | undefined;
  for (const [i, m] of (body.messages as unknown[]).entries()) {
    const where = `messages[${i}]`;
    if (!isRecord(m)) return malformed(`${where} is not an object`);
    if (m.role !== 'tool') results = undefined;
    if (m.role === 'system' || m.role === 'developer') system.push({ text: textOf(m.content, where) });
    else if (m.role === 'user') messages.push({ role: 'user', content: [{ text: textOf(m.content, where) }] });
    else if (m.role === 'assistant') messages.push({ role: 'assistant', content: assistantBlocks(m, where) });
    else if (m.role === 'tool' && results) results.push(toolResult(m, where));
    else if (m.role === 'tool') messages.push({ role: 'user', content: (results = [toolResult(m, where)]) });
    else malformed(`${where}.role ${JSON.stringify(m.role)} is not system, user, assistant or tool`);
  }
  const input: ConverseInput = { messages, ...(system.length ? { system } : {}) };
  if (body.tools !== undefined) {
    if (!Array.isArray(body.tools)) malformed('tools must be an array');
    const tools: Tool[] = (body.tools as unknown[]).map((t, i) => {
      const fn = isRecord(t) && isRecord(t.function) && typeof t.function.name === 'string' ? t.function : malformed(`tools[${i}] needs function.name`);
      const description = typeof fn.description === 'string' ? { description: fn.description } : {};
      return { toolSpec: { name: fn.name as string, ...description, inputSchema: { json: (fn.parameters ?? { type: 'object' }) as Json } } };
    });
    if (tools.length) input.toolConfig = { tools };
  }
  if (body.max_tokens !== undefined && body.max_tokens !== null) {
    if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1) malformed('max_tokens must be a positive integer');
    input.inferenceConfig = { maxTokens: body.max_tokens as number };
  }
  return input;
}

/** Parses a chat completions body and translates it to Converse input. */
export function translateChatRequest(raw: string): Translation {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'the request body is not JSON' };
  }
  try {
    if (!isRecord(body)) return malformed('the request body must be a JSON object');
    if (typeof body.model !== 'string' || body.model === '') malformed('model must be a non-empty string');
    if (body.stream !== undefined && typeof body.stream !== 'boolean') malformed('stream must be a boolean');
    return { ok: true, model: body.model as string, stream: body.stream === true, input: converseInput(body) };
  } catch (error) {
    if (error instanceof Malformed) return { ok: false, reason: error.message };
    throw error;
  }
}

/** OpenAI's finish_reason for a Converse stopReason. */
export function finishReason(stop: string | undefined): string {
  if (stop === 'tool_use') return 'tool_calls';
  if (stop === 'max_tokens' || stop === 'model_context_window_exceeded') return 'length';
  if (stop === 'guardrail_intervened' || stop === 'content_filtered') return 'content_filter';
  return 'stop';
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

const errorBody = (message: string, type: string) => ({ error: { message, type, code: null } });

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > BODY_LIMIT) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts the gateway on 127.0.0.1 on a free port. */
export async function startTranslatingGateway(options: TranslatingGatewayOptions): Promise<RunningTranslatingGateway> {
  const flaws = options.flaws ?? [];
  const client = new BedrockRuntimeClient({
    endpoint: options.upstreamUrl, region: options.region, credentials: { ...options.credentials }, requestHandler: new NodeHttpHandler(), maxAttempts: 1,
  });
  const inflight = new Set<AbortController>();

  async function streamAnswer(res: ServerResponse, model: string, input: ConverseInput, abortSignal: AbortSignal): Promise<void> {
    const out = await client.send(new ConverseStreamCommand({ modelId: model, ...input }), { abortSignal });
    const id = `chatcmpl-${randomUUID()}`;
    const created = Math.floor(Date.now() / 1000);
    const held: string[] = [];
    const write = (text: string) => { if (flaws.includes('buffer')) held.push(text); else if (!res.destroyed) res.write(text); };
    const chunk = (delta: Obj, finish: string | null = null) =>
      write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (!flaws.includes('buffer')) res.flushHeaders();
    const toolIndex = new Map<number, number>();
    let stopped = false;
    try {
      for await (const event of (out.stream ?? []) as AsyncIterable<ConverseStreamOutput>) {
        if (event.messageStart) chunk({ role: 'assistant', content: '' });
        else if (event.contentBlockStart?.start?.toolUse) {
          const { toolUseId, name } = event.contentBlockStart.start.toolUse;
          toolIndex.set(event.contentBlockStart.contentBlockIndex ?? 0, toolIndex.size);
          chunk({ tool_calls: [{ index: toolIndex.size - 1, id: toolUseId, type: 'function', function: { name, arguments: '' } }] });
        } else if (event.contentBlockDelta?.delta?.text !== undefined) chunk({ content: event.contentBlockDelta.delta.text });
        else if (event.contentBlockDelta?.delta?.toolUse) {
          const block = event.contentBlockDelta.contentBlockIndex ?? 0;
          if (!toolIndex.has(block)) toolIndex.set(block, toolIndex.size);
          chunk({ tool_calls: [{ index: toolIndex.get(block), function: { arguments: event.contentBlockDelta.delta.toolUse.input ?? '' } }] });
        } else if (event.messageStop) {
          stopped = true;
          chunk({}, finishReason(event.messageStop.stopReason));
        }
      }
      if (!stopped) throw Object.assign(new Error('the Bedrock stream ended before messageStop'), { name: 'IncompleteStream' });
      write('data: [DONE]\n\n');
    } catch (error) {
      const e = error as Error;
      if (flaws.includes('swallow-exceptions')) write('data: [DONE]\n\n');
      else write(`data: ${JSON.stringify({ error: { message: e.message, type: e.name } })}\n\n`);
    }
    if (!res.destroyed) res.end(held.join(''));
  }

  async function answer(res: ServerResponse, model: string, input: ConverseInput, abortSignal: AbortSignal): Promise<void> {
    const out = await client.send(new ConverseCommand({ modelId: model, ...input }), { abortSignal });
    const blocks = out.output?.message?.content ?? [];
    const text = blocks.map((b) => b.text ?? '').join('');
    const toolCalls = blocks.filter((b) => b.toolUse).map((b) => ({
      id: b.toolUse!.toolUseId, type: 'function', function: { name: b.toolUse!.name, arguments: JSON.stringify(b.toolUse!.input ?? {}) },
    }));
    const message = { role: 'assistant', content: text === '' && toolCalls.length ? null : text, ...(toolCalls.length ? { tool_calls: toolCalls } : {}) };
    const usage = { prompt_tokens: out.usage?.inputTokens ?? 0, completion_tokens: out.usage?.outputTokens ?? 0, total_tokens: out.usage?.totalTokens ?? 0 };
    sendJson(res, 200, {
      id: `chatcmpl-${randomUUID()}`, object: 'chat.completion', created: Math.floor(Date.now() / 1000), model,
      choices: [{ index: 0, message, finish_reason: finishReason(out.stopReason) }], usage,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/v1/chat/completions') return sendJson(res, 404, errorBody(`no route for ${req.method} ${path}`, 'invalid_request_error'));
    if (req.method !== 'POST') return sendJson(res, 405, errorBody(`${req.method} is not allowed; use POST`, 'invalid_request_error'));
    const raw = await readBody(req);
    if (raw === undefined) return sendJson(res, 413, errorBody(`the request body exceeds ${BODY_LIMIT} bytes`, 'invalid_request_error'));
    const translated = translateChatRequest(raw);
    if (!translated.ok) return sendJson(res, 400, errorBody(translated.reason, 'invalid_request_error'));
    const abort = new AbortController();
    inflight.add(abort);
    res.on('close', () => { if (!res.writableFinished) abort.abort(); });
    try {
      await (translated.stream ? streamAnswer : answer)(res, translated.model, translated.input, abort.signal);
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode;
      sendJson(res, status !== undefined && status >= 400 ? status : 502, errorBody(e.message, e.name));
    } finally {
      inflight.delete(abort);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) sendJson(res, 500, errorBody(`translating gateway failed: ${error.message}`, 'internal_error'));
      else res.destroy();
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    close: () => {
      for (const abort of inflight) abort.abort();
      client.destroy();
      return listening.close();
    },
  };
}
