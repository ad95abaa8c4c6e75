// SigV4 re-signing: for any model id form, body and client credential kind, the gateway's re-signed
// request must verify at the mock. Failures shrink to the minimal case with the mock's diagnosis.
import fc from 'fast-check';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { CheckResult } from '../reports/results.ts';
import { clientAuth } from './client-auth.ts';
import { describeOutcome, oneLine } from './faulted-call.ts';
import { guardedCheck, type CheckVerdict } from './guarded-check.ts';
import { answerText, converseBody, runtimeCassette } from './runtime-cassette.ts';
import { describeCase, describeCoverage, promptText, SIGV4_EXAMPLES, sigv4CaseArbitrary, type Sigv4Case } from './sigv4-case-arbitrary.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'sigv4';
/** A gateway that hangs must not stall the run: the property stops here. */
const PROPERTY_TIME_LIMIT_MS = 60_000;

/** What the suite learns across all cases: accepted records (for findings) and failure details. */
interface Run {
  n: number;
  cases: Sigv4Case[];
  accepted: RequestRecord[];
  failures: Map<string, { problem: string; detail?: string }>;
  unverified: boolean;
}

/** Sends one case through the gateway; the problem in words, or undefined when it went through. */
async function runCase(ctx: SuiteContext, run: Run, c: Sigv4Case): Promise<{ problem: string; detail?: string } | undefined> {
  const n = ++run.n;
  run.cases.push(c);
  const prompt = `bedrock-conformance sigv4 case ${n}: ${promptText(c.prompt)}`;
  const answer = [`Answer to case ${n}`, ` for ${c.modelId}.`];
  const id = `sigv4-case-${(ctx.seed >>> 0).toString(36)}-${n}`;
  ctx.mock.addCassettes([runtimeCassette({ id, operation: c.operation, modelId: c.modelId, prompt, answer, seed: n })]);
  const since = ctx.mock.log.lastSeq;
  const obs = await ctx.client.call({
    operation: c.operation, modelId: c.modelId, body: converseBody(prompt), auth: clientAuth(ctx, c.credential), timeoutMs: 15_000,
  });
  const record = ctx.mock.log.since(since).at(-1);
  const detail = obs.error?.message;
  if (!record) return { problem: `the request never reached the mock; the client got ${describeOutcome(obs)}`, detail };
  if (!record.sigv4) {
    run.unverified = true;
    return undefined;
  }
  if (!record.sigv4.ok) return { problem: `the mock rejected the re-signed request: ${record.sigv4.reason}`, detail };
  run.accepted.push(record);
  if (record.harnessError) return { problem: `the signature verified but the forwarded request matched no cassette (${record.harnessError}): ${oneLine(detail ?? '')}`, detail };
  if (obs.error) return { problem: `the mock accepted the signature but the client got ${describeOutcome(obs)}`, detail };
  const got = answerText(obs.output, obs.events);
  if (got !== answer.join('')) return { problem: `the client got the wrong answer ${JSON.stringify(got.slice(0, 80))}` };
  return undefined;
}

async function propertyCheck(ctx: SuiteContext, run: Run): Promise<CheckVerdict> {
  const property = fc.asyncProperty(sigv4CaseArbitrary, async (c) => {
    const failure = await runCase(ctx, run, c);
    if (failure) run.failures.set(JSON.stringify(c), failure);
    return failure === undefined;
  });
  const examples = SIGV4_EXAMPLES.map((c) => [c] as [Sigv4Case]);
  const details = await fc.check(property, { seed: ctx.seed, numRuns: ctx.runs, examples, interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });
  if (run.unverified) return { status: 'skip', message: 'the mock is not verifying SigV4 (started with --no-verify-sigv4), so re-signing cannot be judged' };
  const evidence = [
    `fast-check seed ${details.seed}: ${details.numRuns} run(s), the first ${Math.min(details.numRuns, SIGV4_EXAMPLES.length)} being the named examples; ${details.numShrinks} shrink(s)`,
    `covered ${describeCoverage(run.cases)}`,
  ];
  if (details.interrupted) evidence.push(`stopped at the ${PROPERTY_TIME_LIMIT_MS / 1000} s limit (calls were slow or hanging)`);
  if (!details.failed) return { status: 'pass', evidence, message: `every re-signed request verified at the mock (${describeCoverage(run.cases)})` };
  const c = details.counterexample![0];
  const failure = run.failures.get(JSON.stringify(c)) ?? { problem: `the property threw: ${String(details.errorInstance)}` };
  const words = `fails for ${describeCase(c)}: ${failure.problem}`;
  if (failure.detail) evidence.push(`the mock answered (canonical request it expected included):\n${failure.detail}`);
  return {
    status: 'fail', evidence, message: `the gateway's re-signed request did not verify; minimal case: ${words}`,
    counterexample: { words, value: c, seed: details.seed, path: details.counterexamplePath ?? undefined },
  };
}

/** A host signed without its port passes only in the mock's lenient mode; it is still a finding. */
export function hostPortVerdict(accepted: readonly RequestRecord[], unverified: boolean): CheckVerdict {
  if (unverified) return { status: 'skip', message: 'the mock is not verifying SigV4' };
  if (accepted.length === 0) return { status: 'skip', message: 'no re-signed request was accepted, so there is nothing to inspect' };
  const findings = accepted.flatMap((r) => r.sigv4!.findings.filter((f) => /without (its |the )?port/i.test(f)).map((f) => `${r.target}: ${f}`));
  if (findings.length === 0) return { status: 'pass', message: `all ${accepted.length} accepted requests signed host with its port` };
  return {
    status: 'fail', evidence: [...new Set(findings)].slice(0, 5),
    message: `the gateway signs the host header without its port (${findings.length} of ${accepted.length} accepted requests; judged only because the mock accepts it in its --accept-host-without-port mode); real AWS endpoints on 443 hide this, any other port rejects it`,
  };
}

/** The SigV4 suite: the re-signing property, then the host-without-port finding as its own check. */
export const sigv4ResigningSuite: Suite = {
  id: SUITE,
  title: 'SigV4 re-signing: every model id, body and credential kind verifies upstream',
  async run(ctx) {
    const run: Run = { n: 0, cases: [], accepted: [], failures: new Map(), unverified: false };
    const results: CheckResult[] = [];
    results.push(await guardedCheck(ctx, SUITE, `${SUITE}/re-signing`, () => propertyCheck(ctx, run)));
    results.push(await guardedCheck(ctx, SUITE, `${SUITE}/host-with-port`, async () => hostPortVerdict(run.accepted, run.unverified)));
    return results;
  },
};
