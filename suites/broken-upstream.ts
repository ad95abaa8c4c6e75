// Broken upstream: a stream cut short (clean end mid-frame, socket reset) or corrupted (bad CRC)
// must reach the client as an error, soon; never as a clean end, never as a hang.
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { callWithFault, describeOutcome, describeRecords, notServed } from './faulted-call.ts';
import { serveFaultStream, type FaultStream } from './fault-stream.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'broken-upstream';
/** The frame every fault hits: four whole events go out first. */
const FRAME = 4;

/** One way the upstream breaks, as a named fault plan. */
interface Breakage {
  id: string;
  words: string;
  plan(frames: Uint8Array[]): FaultPlan;
}

const half = (frames: Uint8Array[]) => Math.floor(frames[FRAME]!.length / 2);

/** The breakages, each a check: truncation and reset mid-frame, reset between frames, bad CRCs. */
export const BREAKAGES: readonly Breakage[] = [
  { id: 'truncated-mid-frame', words: `the upstream ends cleanly halfway through frame ${FRAME}`, plan: (f) => ({ truncate: { frame: FRAME, bytes: half(f) } }) },
  { id: 'reset-mid-frame', words: `the upstream resets the connection halfway through frame ${FRAME}`, plan: (f) => ({ reset: { frame: FRAME, bytes: half(f) } }) },
  { id: 'reset-between-frames', words: `the upstream resets the connection after ${FRAME} whole frames`, plan: () => ({ reset: { frame: FRAME, bytes: 0 } }) },
  { id: 'corrupt-message-crc', words: `frame ${FRAME}'s message CRC is wrong`, plan: () => ({ corruptCrc: { frame: FRAME, which: 'message' } }) },
  { id: 'corrupt-prelude-crc', words: `frame ${FRAME}'s prelude CRC is wrong`, plan: () => ({ corruptCrc: { frame: FRAME, which: 'prelude' } }) },
];

async function breakageCheck(ctx: SuiteContext, s: FaultStream, b: Breakage, boundMs: number): Promise<CheckVerdict> {
  const plan = b.plan(s.frames);
  const call = await callWithFault(ctx, s.target, plan, s.spec);
  const { obs } = call;
  const evidence = [`client got ${describeOutcome(obs)}`, ...describeRecords(call.records)];
  const problem = notServed(call, s.target, plan);
  if (problem) return { status: 'fail', evidence, message: `the fault was never injected (${b.words}): ${problem}` };
  const elapsed = Math.round((obs.error?.t ?? obs.endedAt) - obs.sentAt);
  if (elapsed > boundMs) {
    return { status: 'fail', evidence, message: `${b.words}, and the client hung: nothing ended the call within ${boundMs} ms (${describeOutcome(obs)})` };
  }
  if (!obs.error) {
    return { status: 'fail', evidence, message: `${b.words}, but the client saw a clean end after ${obs.events.length} event(s): the failure was hidden` };
  }
  return { status: 'pass', evidence, message: `${b.words}: the client got ${obs.error.name} after ${obs.events.length} event(s), in ${elapsed} ms` };
}

/** The suite with a given time bound (tests use a short one; the runner uses the default). */
export function makeBrokenUpstreamSuite(boundMs = 10_000): Suite {
  return {
    id: SUITE,
    title: 'Broken upstream: truncation, resets and bad CRCs reach the client as errors, in time',
    async run(ctx) {
      let stream: FaultStream | undefined;
      return inSequence(BREAKAGES, (b) => guardedCheck(ctx, SUITE, `${SUITE}/${b.id}`, () =>
        breakageCheck(ctx, stream ??= serveFaultStream(ctx, 'broken-upstream-stream', boundMs + 2_000), b, boundMs)));
    },
  };
}

/** The broken-upstream suite with the 10 s bound. */
export const brokenUpstreamSuite: Suite = makeBrokenUpstreamSuite();
