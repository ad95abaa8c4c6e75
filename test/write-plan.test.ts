import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { type Message, UniversalEventStreamMarshaller } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { decodeMessage, encodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';
import type { FaultPlan, SplitPlan, WritePlan } from '../mock-bedrock/fault-plan.ts';
import { exceptionFrame } from '../mock-bedrock/exception-frame.ts';
import { CUT_KINDS, type CutKind, describeCut, describeSplit, randomCuts } from '../mock-bedrock/split-points.ts';
import { planWrites } from '../mock-bedrock/write-plan.ts';

const CAPTURE = new URL('../../shared/captures/envoy-ai-gateway/claude-converse-stream-tool-use.bin', import.meta.url);
const STREAM = new Uint8Array(readFileSync(CAPTURE));
const FRAMES = splitFrames(STREAM).frames;
const NO_TIMES = FRAMES.map(() => 0);

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

/** A converse stream whose text deltas hold 2-, 3- and 4-byte UTF-8 characters. */
function utf8Frames(): Uint8Array[] {
  const texts = ['Grüße aus Köln', ' — 東京の天気', ' is 🌧️ and 12 °C', ' naïve café ☕', '.'];
  const frame = (type: string, body: unknown) => encodeMessage({
    headers: {
      ':event-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    body: fromUtf8(JSON.stringify(body)),
  });
  return [
    frame('messageStart', { p: 'abcd', role: 'assistant' }),
    ...texts.map((text) => frame('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdefgh' })),
    frame('contentBlockStop', { contentBlockIndex: 0, p: 'ab' }),
    frame('messageStop', { p: 'abc', stopReason: 'end_turn' }),
  ];
}

interface Decoded {
  events: { type: string; headers: string; body: string }[];
  error?: Error;
}

/**
 * Feeds the writes one by one into the AWS SDK's own event-stream decoder: client-bedrock-runtime's
 * eventStreamSerdeProvider hands the response (an async iterable) to this marshaller.
 */
async function sdkDecode(writes: readonly Uint8Array[]): Promise<Decoded> {
  const marshaller = new UniversalEventStreamMarshaller({ utf8Encoder: toUtf8, utf8Decoder: fromUtf8 });
  async function* body() {
    for (const write of writes) yield write;
  }
  const events: Decoded['events'] = [];
  try {
    for await (const event of marshaller.deserialize(body(), async (input: Record<string, Message>) => input)) {
      const [type, message] = Object.entries(event)[0];
      events.push({ type, headers: JSON.stringify(message.headers), body: Buffer.from(message.body).toString('hex') });
    }
    return { events };
  } catch (error) {
    return { events, error: error as Error };
  }
}

function expectedEvents(frames: readonly Uint8Array[]): Decoded['events'] {
  return frames.map((frame) => {
    const message = decodeMessage(frame);
    return { type: String(message.headers[':event-type'].value), headers: JSON.stringify(message.headers), body: Buffer.from(message.body).toString('hex') };
  });
}

const concat = (plan: WritePlan) => Buffer.concat(plan.writes.map((w) => w.bytes));
const boundaries = (plan: WritePlan) => plan.writes.slice(0, -1).map((_, i) => plan.writes.slice(0, i + 1).reduce((n, w) => n + w.bytes.length, 0));

const splitPlan: fc.Arbitrary<SplitPlan> = fc.oneof(
  fc.constant({ kind: 'frames' as const }),
  fc.record({ kind: fc.constant('drip' as const), size: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('offsets' as const), offsets: fc.array(fc.integer({ min: 1, max: STREAM.length + 8 }), { maxLength: 40 }) }),
  fc.record({ kind: fc.constant('coalesce' as const), frames: fc.integer({ min: 1, max: 30 }) }),
  fc.record({ kind: fc.constant('random' as const), seed: fc.integer(), cuts: fc.integer({ min: 0, max: 60 }) }),
);

test('planWrites › any split of the real capture concatenates to it and the SDK decoder yields the same 25 events', async (t) => {
  t.log(`seed=${SEED} (replay: FC_SEED=${SEED} npx ava test/write-plan.test.ts)`);
  const expected = expectedEvents(FRAMES);
  t.is(expected.length, 25);
  const property = fc.asyncProperty(splitPlan, async (split) => {
    const plan = planWrites(FRAMES, NO_TIMES, { split });
    const what = describeSplit(split, FRAMES);
    if (!concat(plan).equals(STREAM)) throw new Error(`bytes differ: ${what}`);
    if (plan.end !== 'end' || plan.writes.some((w) => w.bytes.length === 0 || w.delayMs !== 0)) throw new Error(`bad writes: ${what}`);
    const decoded = await sdkDecode(plan.writes.map((w) => w.bytes));
    if (decoded.error) throw new Error(`SDK failed (${decoded.error.message}): ${what}`);
    if (JSON.stringify(decoded.events) !== JSON.stringify(expected)) throw new Error(`SDK events differ: ${what}`);
  });
  try {
    await fc.assert(property, { seed: SEED, numRuns: 200 });
  } catch (error) {
    t.log(`counterexample in words: ${String((error as Error).cause)}`);
    throw error;
  }
  t.pass();
});

test('planWrites › the default is one write per recorded frame; drip 1 writes every byte alone', (t) => {
  t.deepEqual(planWrites(FRAMES, NO_TIMES, {}).writes.map((w) => Buffer.from(w.bytes)), FRAMES.map((f) => Buffer.from(f)));
  const drip = planWrites(FRAMES, NO_TIMES, { split: { kind: 'drip', size: 1 } });
  t.is(drip.writes.length, STREAM.length);
  t.deepEqual(boundaries(planWrites(FRAMES, NO_TIMES, { split: { kind: 'coalesce', frames: 10 } })), [
    FRAMES.slice(0, 10).reduce((n, f) => n + f.length, 0), FRAMES.slice(0, 20).reduce((n, f) => n + f.length, 0),
  ]);
});

test('randomCuts › every claimed cut is where it says, checked against the decoded frames', (t) => {
  for (const frames of [FRAMES, utf8Frames()]) {
    const starts = frames.map((_, i) => frames.slice(0, i).reduce((n, f) => n + f.length, 0));
    for (let seed = 0; seed < 200; seed++) {
      for (const site of randomCuts(frames, seed, 10)) {
        let frame = starts.length - 1;
        while (starts[frame] > site.offset) frame--;
        const rel = site.offset - starts[frame];
        const body = decodeMessage(frames[frame]).body;
        const total = frames[frame].length;
        const payloadStart = total - 4 - body.length;
        const prefix = body.subarray(0, rel - payloadStart);
        const splitsChar = () => { try { new TextDecoder('utf-8', { fatal: true }).decode(prefix); return false; } catch { return true; } };
        const where = `seed ${seed}: ${describeCut(frames, site.offset)}`;
        t.is(site.frame, frame, where);
        t.is(site.byteInFrame, rel, where);
        const holds: Record<CutKind, () => boolean> = {
          'frame-boundary': () => rel === 0,
          'length-prefix': () => rel >= 1 && rel <= 3,
          prelude: () => rel >= 4 && rel <= 12,
          headers: () => rel > 12 && rel <= payloadStart,
          payload: () => rel > payloadStart && rel <= total - 4 && !splitsChar(),
          utf8: () => rel > payloadStart && rel < total - 4 && splitsChar(),
          'message-crc': () => rel > total - 4 && rel < total,
        };
        if (!holds[site.kind]()) t.fail(`claimed ${site.kind} but ${where}`);
      }
    }
  }
  t.pass();
});

test('randomCuts › across seeds the cuts reach every kind, biased toward the prelude and inside UTF-8 characters', (t) => {
  const frames = utf8Frames();
  const count = new Map<CutKind, number>();
  for (let seed = 0; seed < 300; seed++) {
    for (const site of randomCuts(frames, seed, 8)) count.set(site.kind, (count.get(site.kind) ?? 0) + 1);
  }
  t.deepEqual([...count.keys()].sort(), [...CUT_KINDS].sort());
  const drawn = [...count].filter(([kind]) => kind !== 'frame-boundary').reduce((n, [, c]) => n + c, 0);
  const prelude = (count.get('length-prefix') ?? 0) + (count.get('prelude') ?? 0);
  const bytes = frames.reduce((n, f) => n + f.length, 0);
  t.log(`cuts by kind: ${JSON.stringify(Object.fromEntries(count))}`);
  t.true(prelude / drawn > 0.3, `prelude share ${prelude / drawn} vs byte share ${(12 * frames.length) / bytes}`);
  t.true((count.get('utf8') ?? 0) / drawn > 0.1);
  t.true((count.get('length-prefix') ?? 0) > 0);
});

test('planWrites › a random plan writes exactly at its cuts, replays from its seed, and the SDK still decodes UTF-8 text', async (t) => {
  const frames = utf8Frames();
  const plans = new Set<string>();
  for (let seed = 1; seed <= 20; seed++) {
    const faults: FaultPlan = { split: { kind: 'random', seed, cuts: 12 } };
    const plan = planWrites(frames, frames.map(() => 0), faults);
    t.deepEqual(planWrites(frames, frames.map(() => 0), faults), plan, `seed ${seed} replays`);
    t.deepEqual(boundaries(plan), randomCuts(frames, seed, 12).map((s) => s.offset));
    const decoded = await sdkDecode(plan.writes.map((w) => w.bytes));
    t.deepEqual(decoded, { events: expectedEvents(frames) }, describeSplit(faults.split, frames));
    plans.add(JSON.stringify(boundaries(plan)));
  }
  t.true(plans.size >= 18, 'different seeds give different cuts');
});

test('describeCut › names the frame and the field a cut falls in', (t) => {
  const start3 = FRAMES.slice(0, 3).reduce((n, f) => n + f.length, 0);
  t.is(describeCut(FRAMES, start3 + 2), `cut at stream byte ${start3 + 2}, after byte 2 of frame 3's 4-byte length prefix`);
  t.is(describeCut(FRAMES, start3), `cut at stream byte ${start3}, between frame 2 and frame 3`);
  t.is(describeCut(FRAMES, start3 + 10), `cut at stream byte ${start3 + 10}, after byte 2 of frame 3's 4-byte prelude CRC`);
  t.regex(describeCut(FRAMES, start3 - 1), /after byte 3 of frame 2's 4-byte message CRC$/);
  const frames = utf8Frames();
  const body = decodeMessage(frames[1]).body;
  const u = Buffer.from(body).indexOf(Buffer.from('ü')) + 1;
  t.regex(describeCut(frames, frames[0].length + frames[1].length - 4 - body.length + u), /inside a multi-byte UTF-8 character$/);
  t.regex(describeSplit({ kind: 'drip', size: 1 }, FRAMES), /one byte per write/);
});

test('planWrites › an exception replaces the rest of the stream and is split like any other frame', (t) => {
  const plan = planWrites(FRAMES, NO_TIMES, { exception: { frame: 3, type: 'throttlingException', message: 'slow down' }, split: { kind: 'drip', size: 1 } });
  const expected = Buffer.concat([...FRAMES.slice(0, 3), exceptionFrame('throttlingException', 'slow down')]);
  t.true(concat(plan).equals(expected));
  t.true(plan.writes.every((w) => w.bytes.length === 1));
  t.is(plan.end, 'end');
  const appended = planWrites(FRAMES, NO_TIMES, { exception: { frame: 99, type: 'validationException' } });
  t.is(appended.writes.length, 26, 'an exception past the end is appended after the last frame');
  t.deepEqual(decodeMessage(appended.writes[25].bytes).headers[':exception-type'], { type: 'string', value: 'validationException' });
});

test('planWrites › truncate ends cleanly mid-frame; the SDK is silent after 1–3 bytes and reports 4 or more', async (t) => {
  for (const bytes of [1, 2, 3]) {
    const plan = planWrites(FRAMES, NO_TIMES, { truncate: { frame: 5, bytes } });
    t.true(concat(plan).equals(Buffer.concat([...FRAMES.slice(0, 5), FRAMES[5].subarray(0, bytes)])));
    t.deepEqual(await sdkDecode(plan.writes.map((w) => w.bytes)), { events: expectedEvents(FRAMES.slice(0, 5)) });
  }
  for (const bytes of [4, 12, 100]) {
    const decoded = await sdkDecode(planWrites(FRAMES, NO_TIMES, { truncate: { frame: 5, bytes } }).writes.map((w) => w.bytes));
    t.is(decoded.error?.message, 'Truncated event message received.');
    t.is(decoded.events.length, 5);
  }
  t.true(concat(planWrites(FRAMES, NO_TIMES, { truncate: { frame: 5, bytes: 9999 } })).equals(Buffer.concat(FRAMES.slice(0, 6))));
  t.true(concat(planWrites(FRAMES, NO_TIMES, { truncate: { frame: 99, bytes: 1 } })).equals(STREAM), 'past the end cuts nothing');
});

test('planWrites › reset ends with a reset; the earlier of truncate and reset wins', (t) => {
  const plan = planWrites(FRAMES, NO_TIMES, { reset: { frame: 2, bytes: 7 } });
  t.is(plan.end, 'reset');
  t.is(concat(plan).length, FRAMES[0].length + FRAMES[1].length + 7);
  const both = planWrites(FRAMES, NO_TIMES, { reset: { frame: 4, bytes: 0 }, truncate: { frame: 2, bytes: 1 } });
  t.is(both.end, 'end');
  t.is(concat(both).length, FRAMES[0].length + FRAMES[1].length + 1);
  t.is(planWrites(FRAMES, NO_TIMES, { reset: { frame: 25, bytes: 0 } }).end, 'reset', 'a reset after the whole stream');
});

test('planWrites › corruptCrc flips one bit of the chosen CRC and the SDK rejects that frame', async (t) => {
  const cases = [
    { which: 'prelude' as const, at: 11, error: /^The prelude checksum specified in the message \(\d+\) does not match/ },
    { which: 'message' as const, at: FRAMES[4].length - 1, error: /^The message checksum \(\d+\) did not match the expected value/ },
  ];
  for (const { which, at, error } of cases) {
    const plan = planWrites(FRAMES, NO_TIMES, { corruptCrc: { frame: 4, which } });
    const sent = plan.writes[4].bytes;
    t.deepEqual([...sent.keys()].filter((i) => sent[i] !== FRAMES[4][i]), [at]);
    t.is(sent[at] ^ FRAMES[4][at], 1);
    const decoded = await sdkDecode(plan.writes.map((w) => w.bytes));
    t.regex(decoded.error?.message ?? '', error);
    t.is(decoded.events.length, 4);
  }
  t.true(concat(planWrites(FRAMES, NO_TIMES, { corruptCrc: { frame: 40, which: 'message' } })).equals(STREAM), 'out of range is ignored');
});

test('planWrites › recorded pace waits each gap before the write that starts the frame; delays add', (t) => {
  const at = FRAMES.map((_, i) => 100 + i * 10);
  const paced = planWrites(FRAMES, at, { pace: 'recorded', delays: [{ frame: 2, ms: 500 }] });
  t.deepEqual(paced.writes.map((w) => w.delayMs), [100, 10, 510, ...FRAMES.slice(3).map(() => 10)]);
  const coalesced = planWrites(FRAMES, at, { pace: 'recorded', split: { kind: 'coalesce', frames: 5 } });
  t.deepEqual(coalesced.writes.map((w) => w.delayMs), [140, 50, 50, 50, 50]);
  t.true(planWrites(FRAMES, at, {}).writes.every((w) => w.delayMs === 0), 'fast by default');
  const idle = planWrites(FRAMES, NO_TIMES, { delays: [{ frame: 3, ms: 2000 }], reset: { frame: 3, bytes: 0 } });
  t.deepEqual(idle.writes.at(-1), { delayMs: 2000, bytes: new Uint8Array(0) }, 'an idle wait before a reset is kept');
  t.is(idle.end, 'reset');
});

test('planWrites › gapMs pauses before every write of a split but the first, and adds to frame delays', (t) => {
  const split: SplitPlan = { kind: 'offsets', offsets: [3, 200, 400] };
  const plain = planWrites(FRAMES, NO_TIMES, { split });
  const gapped = planWrites(FRAMES, NO_TIMES, { split, gapMs: 7 });
  t.deepEqual(gapped.writes.map((w) => w.bytes.length), plain.writes.map((w) => w.bytes.length));
  t.deepEqual(gapped.writes.map((w) => w.delayMs), [0, 7, 7, 7]);
  const delayed = planWrites(FRAMES, NO_TIMES, { split, gapMs: 7, delays: [{ frame: 1, ms: 100 }] });
  t.deepEqual(delayed.writes.map((w) => w.delayMs), [0, 107, 7, 7], 'frame 1 starts inside the second write, whose wait is its delay plus the gap');
});
