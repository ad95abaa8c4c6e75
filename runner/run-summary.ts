// The one-screen summary printed at the end of a run: verdict, a line per suite, the first
// failures, how to replay, and where the report is.
import { summarize, type RunResults } from '../reports/results.ts';
import { oneLine } from './run-progress.ts';

/** Failing checks listed by name before "and N more" (the first of each failing suite comes first). */
const MAX_FAILURES_SHOWN = 12;

/** What the summary is rendered from. */
export interface SummaryInputs {
  results: RunResults;
  /** Suite ids in run order (suites with no checks still get a line). */
  suiteIds: string[];
  /** Path of report.html (or the report directory) to point the reader at. */
  reportPath: string;
  /** The command that replays this run. */
  replay: string;
  width?: number;
}

/** Renders the summary as text (ends with a newline). */
export function renderSummary({ results, suiteIds, reportPath, replay, width = 100 }: SummaryInputs): string {
  const { pass, fail, skip } = results.summary;
  const total = pass + fail + skip;
  const verdict = fail > 0 ? 'FAIL' : 'PASS';
  const lines: string[] = [
    '',
    `${verdict}: ${fail > 0 ? `${fail} of ${total} checks failed` : `all ${pass} checks passed`}${skip ? `, ${skip} skipped` : ''} in ${(results.durationMs / 1000).toFixed(1)} s`,
    `Gateway: ${results.gateway.description ?? results.gateway.kind} at ${results.gateway.url}`,
    '',
  ];
  const nameWidth = Math.max(5, ...suiteIds.map((id) => id.length));
  lines.push(`  ${'suite'.padEnd(nameWidth)}  pass  fail  skip`);
  for (const id of suiteIds) {
    const s = summarize(results.checks.filter((c) => c.suite === id));
    const mark = s.fail > 0 ? '  <-' : '';
    lines.push(`  ${id.padEnd(nameWidth)}  ${String(s.pass).padStart(4)}  ${String(s.fail).padStart(4)}  ${String(s.skip).padStart(4)}${mark}`);
  }
  const failures = results.checks.filter((c) => c.status === 'fail');
  if (failures.length > 0) {
    const firstPerSuite = failures.filter((c, i) => failures.findIndex((d) => d.suite === c.suite) === i);
    const shown = [...firstPerSuite, ...failures.filter((c) => !firstPerSuite.includes(c))].slice(0, MAX_FAILURES_SHOWN);
    lines.push('', `Failing checks${failures.length > shown.length ? ` (the first of each suite; ${failures.length} in all)` : ''}:`);
    for (const check of shown) lines.push(oneLine(`  ${check.id}: ${check.message}`, width));
    if (failures.length > shown.length) lines.push(`  … and ${failures.length - shown.length} more in the report`);
  }
  lines.push('', `Seed ${results.seed}, ${results.runs} property runs. Replay: ${replay}`, `Report: ${reportPath}`, '');
  return lines.join('\n');
}
