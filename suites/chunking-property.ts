// Chunking: however the mock cuts the event stream into writes, the client behind the gateway must
// receive exactly the events of the unsplit stream. Failures shrink to a plan named in words.
import type { SplitPlan } from '../mock-bedrock/fault-plan.ts';
import type { CheckResult } from '../reports/results.ts';
import { eventDigest, firstDifference } from './event-digest.ts';
import { callWithFault, describeOutcome, notServed } from './faulted-call.ts';
import { chunkingTargets, type ChunkingTarget } from './chunking-targets.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import { fixedSplitsCheck, lengthPrefixPlans, splitFault, splitPropertyCheck, type SplitProbe } from './split-checks.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'chunking';

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
  const plan = splitFault(split);
  const call = await callWithFault(ctx, t, plan, t.spec);
  const problem = notServed(call, t, plan);
  if (problem) return problem;
  if (call.obs.error) return `the client got ${describeOutcome(call.obs)}`;
  const difference = firstDifference(digest, eventDigest(call.obs.events));
  return difference && `the client's events differ from the unsplit stream: ${difference}`;
}

async function runTarget(ctx: SuiteContext, t: ChunkingTarget, main: boolean): Promise<CheckResult[]> {
  const base = await baseline(ctx, t);
  const judged = (body: (digest: string[]) => Promise<CheckVerdict>) => async (): Promise<CheckVerdict> =>
    base.ok ? body(base.digest) : { status: 'fail', message: `cannot judge splits of ${t.label}: ${base.reason}` };
  const probe = (digest: string[]): SplitProbe => ({
    problemOf: (plan) => tryPlan(ctx, t, digest, plan),
    intact: `the same ${digest.length} events as the unsplit stream`,
  });
  const checks: Array<[string, () => Promise<CheckVerdict>]> = [
    [`${SUITE}/split-plans/${t.cassetteId}`, judged((d) => splitPropertyCheck(ctx, t, probe(d)))],
  ];
  if (main) {
    checks.push([`${SUITE}/one-byte-drip`, judged((d) => fixedSplitsCheck(t, probe(d), 'one byte per write', [{ kind: 'drip', size: 1 }]))]);
    checks.push([`${SUITE}/length-prefix-cuts`, judged((d) => fixedSplitsCheck(t, probe(d), 'cuts inside the length prefix of frames 0-2', lengthPrefixPlans(t)))]);
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
