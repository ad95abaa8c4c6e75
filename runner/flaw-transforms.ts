// The stream-rewriting flaws: frame-aware gateways that re-frame event streams and get it wrong in
// the two ways WIRE.md lists (text decoded per network read; exception frames dropped).
import { decodeMessage, encodeMessage } from '../mock-bedrock/event-codec.ts';
import { FrameTracker } from './frame-tracker.ts';
import type { GatewayFlaw } from './gateway-flaws.ts';

/** Rewrites an event stream read by read; `end` asks the gateway to end the response cleanly now. */
export interface StreamTransform {
  push(chunk: Uint8Array): { out: Uint8Array[]; end?: boolean };
}

/** Hands each whole frame to `onFrame`, with the payload pieces as they arrived in separate reads. */
function frameAssembler(onFrame: (frame: Uint8Array, payloadPieces: Uint8Array[]) => { out: Uint8Array[]; end?: boolean }): StreamTransform {
  const tracker = new FrameTracker();
  let raw: Uint8Array[] = [];
  let pieces: Uint8Array[] = [];
  return {
    push(chunk) {
      const out: Uint8Array[] = [];
      for (const segment of tracker.segments(chunk)) {
        raw.push(segment.bytes);
        if (segment.headersLength >= 0) {
          const from = Math.max(segment.start, 12 + segment.headersLength);
          const to = Math.min(segment.start + segment.bytes.length, segment.total - 4);
          if (to > from) pieces.push(segment.bytes.subarray(from - segment.start, to - segment.start));
        }
        if (!segment.last) continue;
        const result = onFrame(Buffer.concat(raw), pieces);
        raw = [];
        pieces = [];
        out.push(...result.out);
        if (result.end) return { out, end: true };
      }
      return { out };
    },
  };
}

/** 'rechunk-utf8': payload text decoded per read with a non-streaming decoder, then re-framed. */
export function rechunkUtf8Transform(): StreamTransform {
  return frameAssembler((frame, pieces) => {
    const text = pieces.map((piece) => new TextDecoder().decode(piece)).join('');
    try {
      const message = decodeMessage(frame);
      const body = Buffer.from(text, 'utf8');
      if (body.equals(Buffer.from(message.body))) return { out: [frame] };
      return { out: [encodeMessage({ headers: message.headers, body })] };
    } catch {
      return { out: [frame] };
    }
  });
}

/** 'drop-exceptions': an exception frame is swallowed and the response ends as if complete. */
export function dropExceptionsTransform(): StreamTransform {
  return frameAssembler((frame) => {
    try {
      const type = decodeMessage(frame).headers[':message-type'];
      if (type?.type === 'string' && type.value === 'exception') return { out: [], end: true };
    } catch {
      // A frame the codec rejects is passed on for the client to reject.
    }
    return { out: [frame] };
  });
}

/** The event-stream rewriting a flaw list asks for (chained in list order), or undefined. */
export function streamTransformFor(flaws: readonly GatewayFlaw[]): StreamTransform | undefined {
  const chain: StreamTransform[] = [];
  if (flaws.includes('rechunk-utf8')) chain.push(rechunkUtf8Transform());
  if (flaws.includes('drop-exceptions')) chain.push(dropExceptionsTransform());
  if (chain.length === 0) return undefined;
  return {
    push(chunk) {
      let pieces = [chunk];
      for (const step of chain) {
        const next: Uint8Array[] = [];
        for (const piece of pieces) {
          const result = step.push(piece);
          next.push(...result.out);
          if (result.end) return { out: next, end: true };
        }
        pieces = next;
      }
      return { out: pieces };
    },
  };
}
