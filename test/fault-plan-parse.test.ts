import test from 'ava';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { parseFaultPlan } from '../mock-bedrock/fault-plan-parse.ts';
import { ERROR_TYPES, STREAM_EXCEPTION_TYPES } from '../mock-bedrock/wire-constants.ts';
import { planWrites } from '../mock-bedrock/write-plan.ts';
import { encodeMessage } from '../mock-bedrock/event-codec.ts';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : Date.now() % 2 ** 31;

/** Bad input, and the error it must produce (source, JSON path, what was wrong). */
const REJECTED: [unknown, string][] = [
  [null, 'hdr: $: expected an object, got null'],
  [[], 'hdr: $: expected an object, got []'],
  ['{"split":{}}', 'hdr: $: expected an object, got "{\\"split\\":{}}"'],
  [{ exeption: { frame: 1 } }, 'hdr: $.exeption: unknown field (allowed: split, pace, delays, gapMs, exception, truncate, reset, httpError, corruptCrc)'],
  [{ split: { kind: 'drip' } }, 'hdr: $.split.size: is required'],
  [{ gapMs: -1 }, 'hdr: $.gapMs: expected milliseconds from 0 to 10000, got -1'],
  [{ gapMs: '5' }, 'hdr: $.gapMs: expected milliseconds from 0 to 10000, got "5"'],
  [{ split: { kind: 'drip', size: 0 } }, 'hdr: $.split.size: expected an integer >= 1, got 0'],
  [{ split: { kind: 'drip', size: 1.5 } }, 'hdr: $.split.size: expected an integer >= 1, got 1.5'],
  [{ split: { kind: 'drip', size: 2, seed: 1 } }, 'hdr: $.split.seed: unknown field (allowed: kind, size)'],
  [{ split: { kind: 'chunks' } }, 'hdr: $.split.kind: expected one of frames, drip, offsets, coalesce, random, got "chunks"'],
  [{ split: { kind: 'offsets', offsets: [3, '7'] } }, 'hdr: $.split.offsets[1]: expected an integer >= 1, got "7"'],
  [{ split: { kind: 'offsets', offsets: 3 } }, 'hdr: $.split.offsets: expected an array of byte offsets, got 3'],
  [{ split: { kind: 'random', seed: 1, cuts: 1e9 } }, 'hdr: $.split.cuts: expected an integer from 0 to 100000, got 1000000000'],
  [{ split: { kind: 'coalesce', frames: -2 } }, 'hdr: $.split.frames: expected an integer >= 1, got -2'],
  [{ pace: 'slow' }, 'hdr: $.pace: expected one of recorded, fast, got "slow"'],
  [{ delays: [{ frame: 1, ms: 5 }, { frame: 2 }] }, 'hdr: $.delays[1].ms: is required'],
  [{ delays: [{ frame: 1, ms: -5 }] }, 'hdr: $.delays[0].ms: expected milliseconds >= 0, got -5'],
  [{ exception: { frame: 2, type: 'ThrottlingException' } },
    'hdr: $.exception.type: expected one of internalServerException, modelStreamErrorException, serviceUnavailableException, '
    + 'throttlingException, validationException, got "ThrottlingException" (did you mean "throttlingException"? case matters on the wire)'],
  [{ exception: { type: 'throttlingException' } }, 'hdr: $.exception.frame: is required'],
  [{ exception: { frame: 0, type: 'throttlingException', message: 42 } }, 'hdr: $.exception.message: expected a string, got 42'],
  [{ truncate: { frame: -1, bytes: 2 } }, 'hdr: $.truncate.frame: expected an integer >= 0, got -1'],
  [{ reset: { frame: 1 } }, 'hdr: $.reset.bytes: is required'],
  [{ httpError: { type: 'Throttled' } }, `hdr: $.httpError.type: expected one of ${ERROR_TYPES.join(', ')}, got "Throttled"`],
  [{ corruptCrc: { frame: 1, which: 'payload' } }, 'hdr: $.corruptCrc.which: expected one of prelude, message, got "payload"'],
];

test('parseFaultPlan › rejects bad input naming the source and the JSON path', (t) => {
  for (const [input, error] of REJECTED) t.deepEqual(parseFaultPlan(input, 'hdr'), { ok: false, error }, JSON.stringify(input));
});

const plans: fc.Arbitrary<FaultPlan> = fc.record({
  split: fc.oneof(
    fc.constant({ kind: 'frames' as const }),
    fc.record({ kind: fc.constant('drip' as const), size: fc.integer({ min: 1, max: 64 }) }),
    fc.record({ kind: fc.constant('offsets' as const), offsets: fc.array(fc.integer({ min: 1, max: 2000 }), { maxLength: 8 }) }),
    fc.record({ kind: fc.constant('coalesce' as const), frames: fc.integer({ min: 1, max: 8 }) }),
    fc.record({ kind: fc.constant('random' as const), seed: fc.integer(), cuts: fc.integer({ min: 0, max: 30 }) }),
  ),
  pace: fc.constantFrom('recorded' as const, 'fast' as const),
  delays: fc.array(fc.record({ frame: fc.nat(12), ms: fc.nat(50) }), { maxLength: 3 }),
  gapMs: fc.nat(20),
  exception: fc.record({ frame: fc.nat(12), type: fc.constantFrom(...STREAM_EXCEPTION_TYPES), message: fc.string() }, { requiredKeys: ['frame', 'type'] }),
  truncate: fc.record({ frame: fc.nat(12), bytes: fc.nat(300) }),
  reset: fc.record({ frame: fc.nat(12), bytes: fc.nat(300) }),
  httpError: fc.record({ type: fc.constantFrom(...ERROR_TYPES), message: fc.string() }, { requiredKeys: ['type'] }),
  corruptCrc: fc.record({ frame: fc.nat(12), which: fc.constantFrom('prelude' as const, 'message' as const) }),
}, { requiredKeys: [] });

test('parseFaultPlan › accepts every well-formed plan unchanged, and planWrites takes whatever it accepts', (t) => {
  t.log(`seed=${SEED} (replay: FC_SEED=${SEED} npx ava test/fault-plan-parse.test.ts)`);
  const frames = Array.from({ length: 10 }, (_, i) => encodeMessage({
    headers: { ':event-type': { type: 'string', value: 'contentBlockDelta' } },
    body: new TextEncoder().encode(JSON.stringify({ delta: { text: `ü${i}` } })),
  }));
  fc.assert(fc.property(plans, (plan) => {
    const json: unknown = JSON.parse(JSON.stringify(plan));
    const parsed = parseFaultPlan(json, 'prop');
    if (!parsed.ok) throw new Error(parsed.error);
    if (!isDeepStrictEqual(parsed.plan, json)) throw new Error(`changed: ${JSON.stringify(parsed.plan)}`);
    const written = planWrites(frames, frames.map((_, i) => i * 5), parsed.plan);
    if (written.writes.some((w) => !(w.delayMs >= 0))) throw new Error('negative wait');
  }), { seed: SEED, numRuns: 300 });
  t.pass();
});
