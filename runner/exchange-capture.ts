// Turns one proxied request/response into a cassette interaction: frames with their arrival
// times, readable payloads, and redaction applied before the value leaves this module.
import type { CassetteEvent, CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { exactJson, frameToEvent, splitFrames } from '../mock-bedrock/event-codec.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';
import { redactJson, redactResponseHeaders, redactText, scrub, type RedactOptions } from './redact.ts';

/** Response headers the replaying server sets itself, so a cassette leaves them out. */
const SERVER_SET_HEADERS = ['connection', 'keep-alive', 'transfer-encoding', 'content-length'];

/** Collects a response as it streams: whole frames are decoded the moment their last byte arrives. */
export class ResponseCapture {
  readonly events: CassetteEvent[] = [];
  readonly problems: string[] = [];
  private pending: Buffer = Buffer.alloc(0);
  private readonly chunks: Buffer[] = [];

  constructor(readonly stream: boolean, private readonly startedAt: number) {}

  /** Records a chunk received at `now` (performance.now() ms). */
  push(chunk: Buffer, now: number): void {
    if (!this.stream) {
      this.chunks.push(chunk);
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const { frames, rest } = splitFrames(this.pending);
    for (const frame of frames) {
      try {
        this.events.push(frameToEvent(frame, Math.round(now - this.startedAt)));
      } catch (error) {
        this.problems.push(`frame ${this.events.length} does not decode: ${(error as Error).message}`);
      }
    }
    this.pending = Buffer.from(rest);
  }

  /** Called at the end of the response; a partial trailing frame is a problem worth reporting. */
  finish(): void {
    if (this.pending.length > 0) this.problems.push(`response ended ${this.pending.length} bytes into a frame`);
  }

  /** The non-stream body as received. */
  body(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function redactEvent(event: CassetteEvent, options: RedactOptions): CassetteEvent {
  const text = (value: string) => redactText(value, options);
  const headers: CassetteEvent['headers'] = {};
  for (const [name, value] of Object.entries(event.headers)) headers[name] = typeof value === 'string' ? text(value) : value;
  const out: CassetteEvent = { ...event, headers };
  if (event.json !== undefined) out.json = redactJson(event.json, text);
  if (event.chunk !== undefined) out.chunk = { ...event.chunk, bytes: redactJson(event.chunk.bytes, text) };
  if (event.text !== undefined) out.text = text(event.text);
  return out;
}

function parseBody(bytes: Buffer): unknown {
  if (bytes.length === 0) return null;
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What the proxy knows about one finished exchange. */
export interface ExchangeFacts {
  operation: Operation;
  modelId: string;
  requestBody: Buffer;
  status: number;
  /** Upstream response headers in wire order. */
  headers: [string, string][];
  capture: ResponseCapture;
  keepAccountIds: boolean;
}

/** The cassette interaction for an exchange, with every redaction applied. */
export function toInteraction(facts: ExchangeFacts): CassetteInteraction {
  const options: RedactOptions = { keepAccountIds: facts.keepAccountIds };
  const data = (value: string) => redactText(value, options);
  // Error bodies can quote the canonical request AWS expected, so they get the full scrub.
  const message = (value: string) => scrub(value, options);
  const headers = redactResponseHeaders(
    facts.headers.filter(([name]) => !SERVER_SET_HEADERS.includes(name.toLowerCase())), options);
  const request = {
    operation: facts.operation,
    modelId: data(facts.modelId),
    body: redactJson(parseBody(facts.requestBody), data),
  };
  const response: CassetteInteraction['response'] = { status: facts.status, headers };
  if (facts.capture.stream) {
    response.events = facts.capture.events.map((event) => redactEvent(event, options));
  } else {
    const clean = facts.status >= 400 ? message : data;
    const text = facts.capture.body().toString('utf8');
    const parsed = exactJson(text);
    if (parsed.ok) response.json = redactJson(parsed.value, clean);
    else response.text = clean(text);
  }
  return { request, response };
}
