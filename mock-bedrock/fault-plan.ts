// Faults as data: a plain value the runner, the CLI or a cassette sets per request.
import type { BedrockErrorType, StreamExceptionType } from './wire-constants.ts';

/**
 * How the response byte stream is cut into writes.
 * - `frames`: one write per frame (what AWS usually does).
 * - `drip`: a write every `size` bytes (1 = byte by byte).
 * - `offsets`: write boundaries at these absolute byte offsets of the stream.
 * - `coalesce`: `frames` frames per write.
 * - `random`: boundaries drawn from `seed`, biased to the cuts parsers get wrong: inside the
 *   12-byte prelude, inside headers, payload and CRC, and inside multi-byte UTF-8 characters.
 */
export type SplitPlan =
  | { kind: 'frames' }
  | { kind: 'drip'; size: number }
  | { kind: 'offsets'; offsets: number[] }
  | { kind: 'coalesce'; frames: number }
  | { kind: 'random'; seed: number; cuts: number };

/** Everything that can go wrong with one response. All frame indexes are 0-based. */
export interface FaultPlan {
  split?: SplitPlan;
  /** `recorded` waits as the recording did between frames; `fast` (default) does not wait. */
  pace?: 'recorded' | 'fast';
  /** Extra waits before given frames, in milliseconds. */
  delays?: { frame: number; ms: number }[];
  /**
   * Wait this long before every write after the first, so the reader gets each piece of a split in
   * its own read: on loopback, writes sent back to back can arrive merged and hide a parser bug.
   */
  gapMs?: number;
  /** Replace frame `frame` (and everything after) with an exception frame of this type. */
  exception?: { frame: number; type: StreamExceptionType; message?: string };
  /** End the response cleanly `bytes` bytes into frame `frame`. */
  truncate?: { frame: number; bytes: number };
  /** Destroy the socket `bytes` bytes into frame `frame`. */
  reset?: { frame: number; bytes: number };
  /** Answer with this Bedrock error instead of the recorded response. */
  httpError?: { type: BedrockErrorType; message?: string };
  /** Flip a bit in frame `frame`'s prelude or message CRC. */
  corruptCrc?: { frame: number; which: 'prelude' | 'message' };
}

/** One write the transport performs: wait `delayMs`, then write `bytes`. */
export interface PlannedWrite {
  delayMs: number;
  bytes: Uint8Array;
}

/** The whole response as the transport will perform it. */
export interface WritePlan {
  writes: PlannedWrite[];
  /** How the response ends after the last write. */
  end: 'end' | 'reset';
  /** Set for a replay with no faults at all: the transport may write every frame at once. */
  burst?: boolean;
}
