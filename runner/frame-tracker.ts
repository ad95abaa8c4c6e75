// Follows event-stream frame boundaries in a byte stream that arrives in arbitrary pieces, without
// buffering it: a pass-through gateway needs to know whether an upstream end falls mid-frame.

/** One piece of a read that lies inside a single frame. */
export interface FrameSegment {
  bytes: Uint8Array;
  /** Offset of `bytes` inside its frame. */
  start: number;
  /** The frame's total length (-1 while its 4-byte length prefix is still incomplete). */
  total: number;
  /** Its headers length (-1 until the first 8 bytes are in). */
  headersLength: number;
  /** True when this segment completes the frame. */
  last: boolean;
}

/** Smallest legal frame: prelude (12) + message CRC (4). */
const MIN_FRAME = 16;

/** Splits reads into per-frame segments using each frame's length prefix. */
export class FrameTracker {
  private head: number[] = [];
  private offset = 0;
  private total = -1;
  private headersLength = -1;
  /** Frames completed so far. */
  frames = 0;

  /** True when the bytes seen so far end inside a frame (a clean end now would be a truncation). */
  get midFrame(): boolean {
    return this.offset > 0;
  }

  /** Cuts one read into the segments of the frames it touches, in order. */
  segments(chunk: Uint8Array): FrameSegment[] {
    const out: FrameSegment[] = [];
    let i = 0;
    while (i < chunk.length) {
      const room = this.head.length < 8 ? 8 - this.head.length : (this.total - this.offset);
      const take = Math.min(room, chunk.length - i);
      const bytes = chunk.subarray(i, i + take);
      if (this.head.length < 8) {
        this.head.push(...bytes);
        if (this.head.length >= 4 && this.total < 0) this.total = Math.max(MIN_FRAME, Buffer.from(this.head).readUInt32BE(0));
        if (this.head.length === 8) this.headersLength = Buffer.from(this.head).readUInt32BE(4);
      }
      const start = this.offset;
      this.offset += take;
      i += take;
      const last = this.total > 0 && this.offset >= this.total;
      out.push({ bytes, start, total: this.total, headersLength: this.headersLength, last });
      if (last) {
        this.frames += 1;
        this.head = [];
        this.offset = 0;
        this.total = -1;
        this.headersLength = -1;
      }
    }
    return out;
  }
}
