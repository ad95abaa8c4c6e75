// Raw event-stream bytes against the recorded frames: every frame present, in order, byte-exact,
// nothing added. Each problem is a sentence a gateway developer can act on.
import type { MessageHeaders } from '@smithy/eventstream-codec';
import { decodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';

/** How many differing frames are described one by one before the rest are counted. */
const DETAIL_LIMIT = 3;

function headerText(headers: MessageHeaders): string {
  return Object.entries(headers).map(([name, h]) => `${name}=${String(h.value)}`).join(', ');
}

/** A frame's `:event-type` (or `:exception-type`), for labels. */
export function frameLabel(frame: Uint8Array): string {
  try {
    const { headers } = decodeMessage(frame);
    return String(headers[':event-type']?.value ?? headers[':exception-type']?.value ?? headers[':message-type']?.value ?? '?');
  } catch {
    return 'undecodable';
  }
}

function excerpt(bytes: Uint8Array, at: number): string {
  const text = Buffer.from(bytes.subarray(Math.max(0, at - 20), at + 40)).toString('utf8');
  return JSON.stringify(text);
}

/** Why one received frame is not the recorded one, in a sentence. */
export function describeFrameDifference(index: number, got: Uint8Array, want: Uint8Array): string {
  let gotMessage;
  try {
    gotMessage = decodeMessage(got);
  } catch (error) {
    return `frame ${index} does not decode (${(error as Error).message}); recorded ${frameLabel(want)}`;
  }
  const wantMessage = decodeMessage(want);
  const gotHeaders = headerText(gotMessage.headers);
  const wantHeaders = headerText(wantMessage.headers);
  if (gotHeaders !== wantHeaders) return `frame ${index} headers differ: got [${gotHeaders}], recorded [${wantHeaders}]`;
  const a = gotMessage.body;
  const b = wantMessage.body;
  let at = 0;
  while (at < a.length && at < b.length && a[at] === b[at]) at++;
  if (at === a.length && at === b.length) return `frame ${index} (${frameLabel(want)}) differs in its prelude or CRC bytes`;
  return `frame ${index} payload differs at byte ${at}: got ${excerpt(a, at)}, recorded ${excerpt(b, at)}`;
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The frames found in `bytes` and every way they differ from `recorded` (empty when identical). */
export function compareFrames(bytes: Uint8Array, recorded: readonly Uint8Array[]): { frames: Uint8Array[]; problems: string[] } {
  const { frames, rest } = splitFrames(bytes);
  const problems: string[] = [];
  const common = Math.min(frames.length, recorded.length);
  let differing = 0;
  for (let i = 0; i < common; i++) {
    if (same(frames[i]!, recorded[i]!)) continue;
    differing += 1;
    if (differing > DETAIL_LIMIT) continue;
    const elsewhere = recorded.findIndex((r) => same(r, frames[i]!));
    problems.push(elsewhere >= 0 ? `frame ${i} is recorded frame ${elsewhere} (${frameLabel(frames[i]!)}): frames are out of order, dropped or repeated` : describeFrameDifference(i, frames[i]!, recorded[i]!));
  }
  if (differing > DETAIL_LIMIT) problems.push(`${differing - DETAIL_LIMIT} more frames differ`);
  if (frames.length > recorded.length) {
    const extra = frames.length - recorded.length;
    problems.push(`${extra} extra frame${extra > 1 ? 's' : ''} (first: ${frameLabel(frames[recorded.length]!)} at frame ${recorded.length})`);
  }
  if (frames.length < recorded.length) {
    const missing = recorded.length - frames.length;
    problems.push(`${missing} frame${missing > 1 ? 's' : ''} missing: the stream ended after ${frames.length} of ${recorded.length} (first missing: frame ${frames.length}, ${frameLabel(recorded[frames.length]!)})`);
  }
  if (rest.length) problems.push(`${rest.length} trailing byte${rest.length > 1 ? 's' : ''} that do not form a whole frame`);
  return { frames, problems };
}

/** Event labels a client needs to see the end of a turn: messageStop and metadata, or Anthropic's message_stop. */
export function endMarkers(frames: readonly Uint8Array[]): Set<string> {
  const found = new Set<string>();
  for (const frame of frames) {
    try {
      const { headers, body } = decodeMessage(frame);
      const type = String(headers[':event-type']?.value ?? '');
      if (type === 'messageStop' || type === 'metadata') found.add(type);
      if (type === 'chunk') {
        const bytes = JSON.parse(Buffer.from(body).toString('utf8')).bytes;
        if (JSON.parse(Buffer.from(bytes, 'base64').toString('utf8')).type === 'message_stop') found.add('message_stop');
      }
    } catch {
      continue;
    }
  }
  return found;
}
