// Pure fault planning: recorded frames plus a FaultPlan give the exact writes, waits and ending
// the HTTP layer performs. No I/O, no clock, no Math.random: the same input gives the same plan.
import type { FaultPlan, PlannedWrite, SplitPlan, WritePlan } from './fault-plan.ts';
import { defaultExceptionMessage, exceptionFrame } from './exception-frame.ts';
import { randomCuts } from './split-points.ts';

/** The frames as sent (the last one may be partial or empty) and how the response ends. */
export interface FaultedStream {
  frames: Uint8Array[];
  end: WritePlan['end'];
}

function flipCrcBit(frame: Uint8Array, which: 'prelude' | 'message'): Uint8Array {
  const copy = frame.slice();
  const at = which === 'prelude' ? 11 : copy.length - 1;
  if (at >= 0 && at < copy.length) copy[at] ^= 0x01;
  return copy;
}

function earliestCut(faults: FaultPlan): { frame: number; bytes: number; end: WritePlan['end'] } | undefined {
  const cuts = [
    faults.reset && { ...faults.reset, end: 'reset' as const },
    faults.truncate && { ...faults.truncate, end: 'end' as const },
  ].filter((cut) => cut !== undefined);
  cuts.sort((a, b) => a.frame - b.frame || a.bytes - b.bytes);
  return cuts[0];
}

/**
 * Applies the stream faults in order: the exception replaces frame `exception.frame` and everything
 * after it; then `corruptCrc`; then the earlier of `truncate` / `reset` (reset wins a tie). Indexes
 * of corruptCrc, truncate, reset and delays refer to this faulted list, so the exception frame can
 * itself be corrupted or cut. Out-of-range indexes clamp rather than fail: an exception past the
 * end is appended after the last frame; a truncate or reset past the end cuts nothing (clean end,
 * or a reset after the whole stream); `bytes` past a frame's end keeps the whole frame; corruptCrc
 * and delays on frames that are not sent are ignored.
 */
export function faultedStream(frames: readonly Uint8Array[], faults: FaultPlan): FaultedStream {
  let out = [...frames];
  if (faults.exception) {
    const { frame, type, message } = faults.exception;
    out = [...out.slice(0, Math.max(0, frame)), exceptionFrame(type, message ?? defaultExceptionMessage(type))];
  }
  const corrupt = faults.corruptCrc;
  if (corrupt && corrupt.frame >= 0 && corrupt.frame < out.length) out[corrupt.frame] = flipCrcBit(out[corrupt.frame], corrupt.which);
  const cut = earliestCut(faults);
  if (!cut) return { frames: out, end: 'end' };
  if (cut.frame >= 0 && cut.frame < out.length) {
    out = [...out.slice(0, cut.frame), out[cut.frame].subarray(0, Math.max(0, cut.bytes))];
  }
  return { frames: out, end: cut.end };
}

function frameStarts(frames: readonly Uint8Array[]): number[] {
  const starts: number[] = [];
  let at = 0;
  for (const frame of frames) {
    starts.push(at);
    at += frame.length;
  }
  return starts;
}

/** Write boundaries (stream offsets strictly inside the stream, ascending) for a split plan. */
export function splitOffsets(plan: SplitPlan | undefined, frames: readonly Uint8Array[]): number[] {
  const starts = frameStarts(frames);
  const total = frames.reduce((sum, f) => sum + f.length, 0);
  const inside = (offsets: Iterable<number>) =>
    [...new Set(offsets)].filter((o) => Number.isInteger(o) && o > 0 && o < total).sort((a, b) => a - b);
  if (!plan || plan.kind === 'frames') return inside(starts);
  switch (plan.kind) {
    case 'drip': {
      const size = Math.max(1, Math.floor(plan.size));
      return inside(Array.from({ length: Math.ceil(total / size) }, (_, i) => i * size));
    }
    case 'offsets': return inside(plan.offsets);
    case 'coalesce': return inside(starts.filter((_, i) => i % Math.max(1, Math.floor(plan.frames)) === 0));
    case 'random': return inside(randomCuts(frames, plan.seed, plan.cuts).map((site) => site.offset));
  }
}

function frameDelays(at: readonly number[], faults: FaultPlan, count: number): number[] {
  const delays = new Array<number>(count).fill(0);
  if (faults.pace === 'recorded') {
    for (let i = 0; i < Math.min(count, at.length); i++) delays[i] += Math.max(0, at[i] - (i > 0 ? at[i - 1] : 0));
  }
  for (const { frame, ms } of faults.delays ?? []) if (frame >= 0 && frame < count) delays[frame] += Math.max(0, ms);
  return delays;
}

/**
 * The response as writes. The stream is the concatenation of the (faulted) frames, cut where the
 * split plan says (one write per frame by default). A frame's wait (its recorded gap under
 * `pace: 'recorded'`, with the first frame waiting `at[0]`, plus its `delays`) goes before the write
 * holding its first byte; waits of frames starting in the same write add up. When the stream is cut
 * at a frame start that has a wait, a last empty write carries it, so a reset can follow an idle gap.
 * `gapMs` adds a wait before every write but the first.
 * `httpError` is the server's business and is ignored here.
 */
export function planWrites(frames: Uint8Array[], at: number[], faults: FaultPlan): WritePlan {
  const stream = faultedStream(frames, faults);
  const starts = frameStarts(stream.frames);
  const delays = frameDelays(at, faults, stream.frames.length);
  const bytes = Buffer.concat(stream.frames);
  const bounds = [0, ...splitOffsets(faults.split, stream.frames), bytes.length];
  const writes: PlannedWrite[] = [];
  let frame = 0;
  const waitUntil = (offset: number) => {
    let delayMs = 0;
    for (; frame < starts.length && starts[frame] < offset; frame++) delayMs += delays[frame];
    return delayMs;
  };
  for (let w = 0; w + 1 < bounds.length; w++) {
    if (bounds[w] < bounds[w + 1]) {
      const gap = writes.length > 0 ? faults.gapMs ?? 0 : 0;
      writes.push({ delayMs: waitUntil(bounds[w + 1]) + gap, bytes: new Uint8Array(bytes.subarray(bounds[w], bounds[w + 1])) });
    }
  }
  const trailing = waitUntil(Infinity);
  if (trailing > 0) writes.push({ delayMs: trailing, bytes: new Uint8Array(0) });
  return { writes, end: stream.end };
}
