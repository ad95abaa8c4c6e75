// What every report says the same way: the verdict, and the checks grouped by suite.
import { summarize } from './results.ts';
import type { CheckResult, RunResults } from './results.ts';

/** Overall or per-suite outcome: any fail fails; nothing run at all is its own verdict. */
export type Verdict = 'pass' | 'fail' | 'empty';

/** One suite's checks and counts, in the order the suite first appears in the results. */
export interface SuiteView {
  suite: string;
  checks: CheckResult[];
  summary: RunResults['summary'];
  verdict: Verdict;
}

/** Derives a verdict from counts: skips alone never make a run pass. */
export function verdictOf(summary: RunResults['summary']): Verdict {
  if (summary.fail > 0) return 'fail';
  return summary.pass > 0 ? 'pass' : 'empty';
}

/** Groups checks by suite, keeping first-appearance order so reports follow the run. */
export function suiteViews(checks: CheckResult[]): SuiteView[] {
  const bySuite = new Map<string, CheckResult[]>();
  for (const check of checks) {
    const list = bySuite.get(check.suite);
    if (list) list.push(check);
    else bySuite.set(check.suite, [check]);
  }
  return [...bySuite].map(([suite, list]) => {
    const summary = summarize(list);
    return { suite, checks: list, summary, verdict: verdictOf(summary) };
  });
}

/** One sentence for the whole run, the first thing every report shows. */
export function verdictLine(summary: RunResults['summary']): string {
  const total = summary.pass + summary.fail + summary.skip;
  const skipped = summary.skip > 0 ? ` (${summary.skip} skipped)` : '';
  switch (verdictOf(summary)) {
    case 'fail':
      return `FAIL: ${summary.fail} of ${total} checks failed${skipped}`;
    case 'pass':
      return `PASS: all ${summary.pass} checks that ran passed${skipped}`;
    case 'empty':
      return `NO CHECKS RAN: ${total} checks, all skipped`;
  }
}
