import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitFrames } from '../mock-bedrock/event-codec.ts';
import { FrameTracker } from '../runner/frame-tracker.ts';
import { CAPTURES_DIR } from './shared-paths.ts';

const STREAM = new Uint8Array(readFileSync(join(CAPTURES_DIR, 'envoy-ai-gateway', 'claude-converse-stream-tool-use.bin')));
const FRAMES = splitFrames(STREAM).frames;
const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

/** Cuts `bytes` at the given offsets (sorted, deduplicated, inside the range). */
function cut(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const points = [...new Set(offsets.filter((o) => o > 0 && o < bytes.length))].sort((a, b) => a - b);
  return [0, ...points].map((from, i) => bytes.subarray(from, points[i] ?? bytes.length));
}

test('frame tracker › any split of a real capture yields the same frames, and ends between frames', (t) => {
  t.log(`seed=${SEED}`);
  t.is(FRAMES.length, 25);
  fc.assert(fc.property(fc.array(fc.nat({ max: STREAM.length }), { maxLength: 40 }), (offsets) => {
    const tracker = new FrameTracker();
    const frames: Buffer[] = [];
    let current: Uint8Array[] = [];
    for (const read of cut(STREAM, offsets)) {
      for (const segment of tracker.segments(read)) {
        current.push(segment.bytes);
        if (segment.last) {
          frames.push(Buffer.concat(current));
          current = [];
        }
      }
    }
    return !tracker.midFrame && tracker.frames === 25 && frames.every((f, i) => f.equals(FRAMES[i]!));
  }), { seed: SEED, numRuns: 200 });
});

test('frame tracker › a stream that stops 1, 2, 3 or more bytes into a frame is seen as mid-frame', (t) => {
  const start = FRAMES.slice(0, 5).reduce((n, f) => n + f.length, 0);
  for (const extra of [1, 2, 3, 4, 12, 40]) {
    const tracker = new FrameTracker();
    for (const read of cut(STREAM.subarray(0, start + extra), [7, start + 1])) tracker.segments(read);
    t.true(tracker.midFrame, `${extra} bytes into frame 5`);
    t.is(tracker.frames, 5);
  }
  const whole = new FrameTracker();
  whole.segments(STREAM.subarray(0, start));
  t.false(whole.midFrame);
});

test('frame tracker › segments report payload bounds from the prelude', (t) => {
  const frame = FRAMES[1]!;
  const tracker = new FrameTracker();
  const segments = [...cut(frame, [2, 9, 30])].flatMap((read) => tracker.segments(read));
  const view = new DataView(frame.buffer, frame.byteOffset);
  t.deepEqual(segments.map((s) => s.start), [0, 2, 8, 9, 30]);
  t.is(segments.at(-1)!.total, view.getUint32(0));
  t.is(segments.at(-1)!.headersLength, view.getUint32(4));
  t.deepEqual(segments.map((s) => s.last), [false, false, false, false, true]);
});
