// One check, run so that it never throws: an unexpected exception becomes a 'fail' that says so.
import type { CheckResult } from '../reports/results.ts';
import type { SuiteContext } from './suite.ts';

/** What a check body decides; the wrapper adds the id, the suite, the duration and reports it. */
export type CheckVerdict = Omit<CheckResult, 'id' | 'suite' | 'durationMs'>;

/** Runs `body` as check `id` of `suite`, times it, turns a throw into 'fail' and calls ctx.report. */
export async function guardedCheck(
  ctx: Pick<SuiteContext, 'report'>, suite: string, id: string, body: () => Promise<CheckVerdict>,
): Promise<CheckResult> {
  const started = performance.now();
  let verdict: CheckVerdict;
  try {
    verdict = await body();
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    verdict = { status: 'fail', message: `the check itself failed unexpectedly (${detail})` };
  }
  const result: CheckResult = { id, suite, ...verdict, durationMs: Math.round(performance.now() - started) };
  ctx.report(result);
  return result;
}

/** Runs checks one after another (they share the mock's fault rules, so never concurrently). */
export async function inSequence<T>(items: readonly T[], run: (item: T) => Promise<CheckResult>): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const item of items) results.push(await run(item));
  return results;
}
