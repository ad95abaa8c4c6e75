// The split checks shared by every client API: a fast-check property over generated split plans
// (shrunk, then trimmed to the cuts that matter) and a list of fixed plans, judged by a probe.
import fc from 'fast-check';
import type { FaultPlan, SplitPlan } from '../mock-bedrock/fault-plan.ts';
import { describeSplit } from '../mock-bedrock/split-points.ts';
import type { ChunkingTarget } from './chunking-targets.ts';
import type { CheckVerdict } from './guarded-check.ts';
import { frameStarts, splitPlanArbitrary } from './split-plan-arbitrary.ts';
import type { SuiteContext } from './suite.ts';

/** A gateway that hangs on some splits must not stall the run: the property stops here. */
const PROPERTY_TIME_LIMIT_MS = 60_000;
/** Pause between the pieces of a cut stream, so the gateway reads each piece on its own. */
const CUT_GAP_MS = 5;

/**
 * The fault plan for a split. Cuts at chosen offsets are a handful of writes, each worth a pause:
 * on loopback, back-to-back writes can reach the gateway as one read and hide the bug being tested.
 */
export function splitFault(split: SplitPlan): FaultPlan {
  return split.kind === 'offsets' ? { split, gapMs: CUT_GAP_MS } : { split };
}

function sizeOf(t: ChunkingTarget): string {
  return `${t.frames.length} frames, ${t.frames.reduce((n, f) => n + f.length, 0)} bytes`;
}

/**
 * fast-check's array shrinker only drops leading items, so a shrunk cut list can keep a cut it does
 * not need. Drops cuts one at a time while the plan still fails (a few calls at most: lists hold <= 8).
 */
async function withoutNeedlessCuts(
  plan: SplitPlan, problemOf: (p: SplitPlan) => Promise<string | undefined>, failures: Map<string, string>,
): Promise<SplitPlan> {
  if (plan.kind !== 'offsets') return plan;
  let offsets = plan.offsets;
  for (let i = 0; i < offsets.length && offsets.length > 1; ) {
    const fewer: SplitPlan = { kind: 'offsets', offsets: offsets.filter((_, j) => j !== i) };
    const problem = await problemOf(fewer);
    if (problem === undefined) i += 1;
    else {
      failures.set(JSON.stringify(fewer), problem);
      offsets = fewer.offsets;
    }
  }
  return offsets === plan.offsets ? plan : { kind: 'offsets', offsets };
}

/** What a split check runs: the problem the client had under a plan (undefined: none), and what "intact" means. */
export interface SplitProbe {
  problemOf(plan: SplitPlan): Promise<string | undefined>;
  /** e.g. "the same 14 events as the unsplit stream". */
  intact: string;
}

/** The fast-check property over generated plans; the shrunk failure becomes the counterexample. */
export async function splitPropertyCheck(ctx: Pick<SuiteContext, 'seed' | 'runs'>, t: ChunkingTarget, probe: SplitProbe): Promise<CheckVerdict> {
  const failures = new Map<string, string>();
  const property = fc.asyncProperty(splitPlanArbitrary(t.frames), async (plan) => {
    const problem = await probe.problemOf(plan);
    if (problem) failures.set(JSON.stringify(plan), problem);
    return problem === undefined;
  });
  const details = await fc.check(property, { seed: ctx.seed, numRuns: ctx.runs, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });
  const evidence = [`stream: ${t.label} (${sizeOf(t)})`, `fast-check seed ${details.seed}: ${details.numRuns} run(s), ${details.numShrinks} shrink(s)`];
  if (details.interrupted) evidence.push(`stopped at the ${PROPERTY_TIME_LIMIT_MS / 1000} s limit (calls were slow or hanging)`);
  if (!details.failed) {
    return { status: 'pass', evidence, message: `${details.numRuns} generated split plans all gave the client ${probe.intact}` };
  }
  const shrunk = details.counterexample![0];
  const minimal = await withoutNeedlessCuts(shrunk, (p) => probe.problemOf(p), failures);
  if (minimal !== shrunk) evidence.push(`fast-check's shrunk plan ${JSON.stringify(shrunk)} still failed with fewer cuts: ${JSON.stringify(minimal)}`);
  const why = failures.get(JSON.stringify(minimal)) ?? `the property threw: ${String(details.errorInstance)}`;
  const words = `fails when the stream is sent as ${describeSplit(minimal, t.frames)}: ${why}`;
  return {
    status: 'fail', evidence, message: `a split stream did not reach the client intact; minimal case: ${words}`,
    counterexample: { words, value: minimal, seed: details.seed, path: details.counterexamplePath ?? undefined },
  };
}

/** Runs fixed, named plans; fails listing the ones that broke the stream, in words. */
export async function fixedSplitsCheck(t: ChunkingTarget, probe: SplitProbe, what: string, plans: SplitPlan[]): Promise<CheckVerdict> {
  const broken: string[] = [];
  for (const plan of plans) {
    const problem = await probe.problemOf(plan);
    if (problem) broken.push(`fails when the stream is sent as ${describeSplit(plan, t.frames)}: ${problem}`);
  }
  const evidence = [`stream: ${t.label} (${sizeOf(t)})`, ...broken];
  if (broken.length === 0) return { status: 'pass', evidence, message: `${what}: the client got ${probe.intact} every time (${plans.length} plan(s))` };
  return { status: 'fail', evidence, message: `${what}: ${broken.length} of ${plans.length} plan(s) broke the stream; first: ${broken[0]}` };
}

/** Cuts after byte 1, 2 and 3 of the 4-byte length prefix of frames 0..2. */
export function lengthPrefixPlans(t: ChunkingTarget): SplitPlan[] {
  const starts = frameStarts(t.frames).slice(0, 3);
  return starts.flatMap((start) => [1, 2, 3].map((b): SplitPlan => ({ kind: 'offsets', offsets: [start + b] })));
}

