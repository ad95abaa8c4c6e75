// Frames in and out through @smithy/eventstream-codec; the cassette's readable event form.
import { EventStreamCodec, Int64, type Message, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { CassetteEvent, TypedHeaderValue } from './cassette.ts';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

/** Encodes one event-stream message (prelude, headers in key order, payload, CRCs). */
export function encodeMessage(message: Message): Uint8Array {
  return codec.encode(message);
}

/** Decodes exactly one whole message; throws on a bad CRC or length. */
export function decodeMessage(bytes: Uint8Array): Message {
  return codec.decode(bytes);
}

/** Cuts a byte stream into whole frames by their length prefix; `rest` holds any trailing partial frame. */
export function splitFrames(stream: Uint8Array): { frames: Uint8Array[]; rest: Uint8Array } {
  const frames: Uint8Array[] = [];
  let at = 0;
  while (stream.length - at >= 4) {
    const total = new DataView(stream.buffer, stream.byteOffset + at, 4).getUint32(0);
    if (total < 16 || at + total > stream.length) break;
    frames.push(stream.subarray(at, at + total));
    at += total;
  }
  return { frames, rest: stream.subarray(at) };
}

function headerToCassette(value: MessageHeaders[string]): string | TypedHeaderValue {
  switch (value.type) {
    case 'string': return value.value;
    case 'binary': return { type: 'binary', value: Buffer.from(value.value).toString('base64') };
    case 'timestamp': return { type: 'timestamp', value: value.value.toISOString() };
    case 'long': return { type: 'long', value: value.value.toString() };
    default: return { type: value.type, value: value.value };
  }
}

function headerFromCassette(value: string | TypedHeaderValue): MessageHeaders[string] {
  if (typeof value === 'string') return { type: 'string', value };
  switch (value.type) {
    case 'binary': return { type: 'binary', value: Buffer.from(String(value.value), 'base64') };
    case 'timestamp': return { type: 'timestamp', value: new Date(String(value.value)) };
    case 'long': return { type: 'long', value: Int64.fromNumber(Number(value.value)) };
    case 'uuid': return { type: 'uuid', value: String(value.value) };
    case 'boolean': return { type: 'boolean', value: Boolean(value.value) };
    default: return { type: value.type, value: Number(value.value) };
  }
}

/** Parses `text` as JSON only if re-serialising it gives back exactly the same text. */
export function exactJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    const value = JSON.parse(text);
    return JSON.stringify(value) === text ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

/** The readable payload form that re-encodes to exactly these bytes. */
export function payloadToCassette(body: Uint8Array): Pick<CassetteEvent, 'json' | 'chunk' | 'text' | 'base64'> {
  const text = Buffer.from(body).toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(Buffer.from(body))) return { base64: Buffer.from(body).toString('base64') };
  const parsed = exactJson(text);
  if (!parsed.ok) return { text };
  const value = parsed.value as { bytes?: unknown; p?: unknown };
  if (value && typeof value === 'object' && typeof value.bytes === 'string') {
    const keys = Object.keys(value);
    const inner = exactJson(Buffer.from(value.bytes, 'base64').toString('utf8'));
    const reencoded = inner.ok && Buffer.from(JSON.stringify(inner.value)).toString('base64') === value.bytes;
    const shapeOk = keys.length === 1 || (keys.length === 2 && keys[1] === 'p' && typeof value.p === 'string');
    if (reencoded && keys[0] === 'bytes' && shapeOk) {
      return { chunk: value.p === undefined ? { bytes: inner.value } : { bytes: inner.value, p: value.p as string } };
    }
  }
  return { json: parsed.value };
}

/** Payload bytes for a cassette event (inverse of payloadToCassette). */
export function payloadFromCassette(event: Pick<CassetteEvent, 'json' | 'chunk' | 'text' | 'base64'>): Uint8Array {
  if (event.base64 !== undefined) return Buffer.from(event.base64, 'base64');
  if (event.text !== undefined) return Buffer.from(event.text, 'utf8');
  if (event.chunk !== undefined) {
    const bytes = Buffer.from(JSON.stringify(event.chunk.bytes)).toString('base64');
    const outer = event.chunk.p === undefined ? { bytes } : { bytes, p: event.chunk.p };
    return Buffer.from(JSON.stringify(outer), 'utf8');
  }
  return Buffer.from(JSON.stringify(event.json), 'utf8');
}

/** A cassette event from one frame's bytes, received `at` ms into the response. */
export function frameToEvent(frame: Uint8Array, at: number): CassetteEvent {
  const message = decodeMessage(frame);
  const headers: CassetteEvent['headers'] = {};
  for (const [name, value] of Object.entries(message.headers)) headers[name] = headerToCassette(value);
  return { at, headers, ...payloadToCassette(message.body) };
}

/** The frame bytes of a cassette event. */
export function eventToFrame(event: CassetteEvent): Uint8Array {
  const headers: MessageHeaders = {};
  for (const [name, value] of Object.entries(event.headers)) headers[name] = headerFromCassette(value);
  return encodeMessage({ headers, body: payloadFromCassette(event) });
}
