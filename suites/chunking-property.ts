// Chunking: however the mock cuts the event stream into writes, the client behind the gateway must
// receive exactly the events of the unsplit stream. Failures shrink to a plan named in words.
import fc from 'fast-check';
import type { SplitPlan } from '../mock-bedrock/fault-plan.ts';
import { describeSplit } from '../mock-bedrock/split-points.ts';
import type { CheckResult } from '../reports/results.ts';
import { eventDigest, firstDifference } from './event-digest.ts';
import { callWithFault, describeOutcome, notServed } from './faulted-call.ts';
import { chunkingTargets, type ChunkingTarget } from './chunking-targets.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import { frameStarts, splitPlanArbitrary } from './split-plan-arbitrary.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'chunking';
/** A gateway that hangs on some splits must not stall the run: the property stops here. */
const PROPERTY_TIME_LIMIT_MS = 60_000;

type Baseline = { ok: true; digest: string[] } | { ok: false; reason: string };

/** The events the client gets when every frame is its own write. */
async function baseline(ctx: SuiteContext, t: ChunkingTarget): Promise<Baseline> {
  const plan = { split: { kind: 'frames' as const } };
  const call = await callWithFault(ctx, t, plan, t.spec);
  const problem = notServed(call, t, plan);
  if (problem) return { ok: false, reason: problem };
  if (call.obs.error) return { ok: false, reason: `the unsplit stream already fails: ${describeOutcome(call.obs)}` };
  if (call.obs.events.length !== t.frames.length) {
    return { ok: false, reason: `the unsplit stream gave ${call.obs.events.length} events, the cassette has ${t.frames.length} frames` };
  }
  return { ok: true, digest: eventDigest(call.obs.events) };
}

/** What went wrong for the client under `split`, or undefined when it got the baseline's events. */
async function tryPlan(ctx: SuiteContext, t: ChunkingTarget, digest: string[], split: SplitPlan): Promise<string | undefined> {
  const call = await callWithFault(ctx, t, { split }, t.spec);
  const problem = notServed(call, t, { split });
  if (problem) return problem;
  if (call.obs.error) return `the client got ${describeOutcome(call.obs)}`;
  const difference = firstDifference(digest, eventDigest(call.obs.events));
  return difference && `the client's events differ from the unsplit stream: ${difference}`;
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

/** The fast-check property over generated plans; the shrunk failure becomes the counterexample. */
async function propertyCheck(ctx: SuiteContext, t: ChunkingTarget, digest: string[]): Promise<CheckVerdict> {
  const failures = new Map<string, string>();
  const property = fc.asyncProperty(splitPlanArbitrary(t.frames), async (plan) => {
    const problem = await tryPlan(ctx, t, digest, plan);
    if (problem) failures.set(JSON.stringify(plan), problem);
    return problem === undefined;
  });
  const details = await fc.check(property, { seed: ctx.seed, numRuns: ctx.runs, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });
  const evidence = [`stream: ${t.label} (${sizeOf(t)})`, `fast-check seed ${details.seed}: ${details.numRuns} run(s), ${details.numShrinks} shrink(s)`];
  if (details.interrupted) evidence.push(`stopped at the ${PROPERTY_TIME_LIMIT_MS / 1000} s limit (calls were slow or hanging)`);
  if (!details.failed) {
    return { status: 'pass', evidence, message: `${details.numRuns} generated split plans all gave the client the same ${digest.length} events as the unsplit stream` };
  }
  const shrunk = details.counterexample![0];
  const minimal = await withoutNeedlessCuts(shrunk, (p) => tryPlan(ctx, t, digest, p), failures);
  if (minimal !== shrunk) evidence.push(`fast-check's shrunk plan ${JSON.stringify(shrunk)} still failed with fewer cuts: ${JSON.stringify(minimal)}`);
  const why = failures.get(JSON.stringify(minimal)) ?? `the property threw: ${String(details.errorInstance)}`;
  const words = `fails when the stream is sent as ${describeSplit(minimal, t.frames)}: ${why}`;
  return {
    status: 'fail', evidence, message: `a split stream did not reach the client intact; minimal case: ${words}`,
    counterexample: { words, value: minimal, seed: details.seed, path: details.counterexamplePath ?? undefined },
  };
}

/** Runs fixed, named plans; fails listing the ones that broke the stream, in words. */
async function fixedPlans(ctx: SuiteContext, t: ChunkingTarget, digest: string[], what: string, plans: SplitPlan[]): Promise<CheckVerdict> {
  const broken: string[] = [];
  for (const plan of plans) {
    const problem = await tryPlan(ctx, t, digest, plan);
    if (problem) broken.push(`fails when the stream is sent as ${describeSplit(plan, t.frames)}: ${problem}`);
  }
  const evidence = [`stream: ${t.label} (${sizeOf(t)})`, ...broken];
  if (broken.length === 0) return { status: 'pass', evidence, message: `${what}: the client got the same ${digest.length} events every time (${plans.length} plan(s))` };
  return { status: 'fail', evidence, message: `${what}: ${broken.length} of ${plans.length} plan(s) broke the stream; first: ${broken[0]}` };
}

/** Cuts after byte 1, 2 and 3 of the 4-byte length prefix of frames 0..2. */
function lengthPrefixPlans(t: ChunkingTarget): SplitPlan[] {
  const starts = frameStarts(t.frames).slice(0, 3);
  return starts.flatMap((start) => [1, 2, 3].map((b): SplitPlan => ({ kind: 'offsets', offsets: [start + b] })));
}

async function runTarget(ctx: SuiteContext, t: ChunkingTarget, main: boolean): Promise<CheckResult[]> {
  const base = await baseline(ctx, t);
  const judged = (body: (digest: string[]) => Promise<CheckVerdict>) => async (): Promise<CheckVerdict> =>
    base.ok ? body(base.digest) : { status: 'fail', message: `cannot judge splits of ${t.label}: ${base.reason}` };
  const checks: Array<[string, () => Promise<CheckVerdict>]> = [
    [`${SUITE}/split-plans/${t.cassetteId}`, judged((d) => propertyCheck(ctx, t, d))],
  ];
  if (main) {
    checks.push([`${SUITE}/one-byte-drip`, judged((d) => fixedPlans(ctx, t, d, 'one byte per write', [{ kind: 'drip', size: 1 }]))]);
    checks.push([`${SUITE}/length-prefix-cuts`, judged((d) => fixedPlans(ctx, t, d, 'cuts inside the length prefix of frames 0-2', lengthPrefixPlans(t)))]);
  }
  return inSequence(checks, ([id, body]) => guardedCheck(ctx, SUITE, id, body));
}

/** The chunking suite: a split-plan property per target stream, plus 1-byte drip and length-prefix cuts. */
export const chunkingPropertySuite: Suite = {
  id: SUITE,
  title: 'Chunking: any split of the event stream reaches the client intact',
  async run(ctx) {
    let targets: ChunkingTarget[];
    try {
      targets = chunkingTargets(ctx);
    } catch (error) {
      const message = `could not prepare the streams to cut: ${(error as Error).message}`;
      return [await guardedCheck(ctx, SUITE, `${SUITE}/split-plans`, async () => ({ status: 'fail', message }))];
    }
    if (targets.length === 0) {
      return [await guardedCheck(ctx, SUITE, `${SUITE}/split-plans`, async () => ({ status: 'skip', message: 'no stream cassette to cut up' }))];
    }
    const results: CheckResult[] = [];
    for (const [i, t] of targets.entries()) results.push(...(await runTarget(ctx, t, i === 0)));
    return results;
  },
};
