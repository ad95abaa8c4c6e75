// Event-stream messages out of a response read piece by piece: bytes of a frame cut across reads
// wait in a carry-over buffer until the frame's last byte arrives.
import type { Message } from '@smithy/eventstream-codec';
import { decodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';

const EMPTY = new Uint8Array(0);

/** Incremental decoder for one response: push each read, get the messages it completed. */
export class EventStreamReader {
  private carry: Uint8Array = EMPTY;

  /** Decodes every frame `chunk` completes (CRCs checked by smithy's codec; throws on a bad one). */
  push(chunk: Uint8Array): Message[] {
    const bytes = this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]);
    const { frames, rest } = splitFrames(bytes);
    this.carry = rest;
    return frames.map(decodeMessage);
  }

  /** Bytes held of an unfinished frame: more than zero when the response ends means it was cut short. */
  get pending(): number {
    return this.carry.length;
  }
}
