// results.json: the machine-readable contract (DESIGN.md), the file other tools parse.
import { summarize } from './results.ts';
import type { CheckResult, RunResults } from './results.ts';
import { formatValue } from './report-text.ts';

// bigint has no JSON form; a string keeps the digits exact.
const replacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/**
 * Serialises the results in contract key order with a summary derived from the checks, so the
 * counts can never disagree with the list. A counterexample value JSON cannot hold (a cycle)
 * becomes readable text instead of losing the whole report.
 */
export function renderJsonReport(results: RunResults): string {
  const document: RunResults = {
    version: 1,
    gateway: results.gateway,
    startedAt: results.startedAt,
    durationMs: results.durationMs,
    seed: results.seed,
    runs: results.runs,
    checks: results.checks.map(jsonSafeCheck),
    summary: summarize(results.checks),
  };
  return `${JSON.stringify(document, replacer, 2)}\n`;
}

function jsonSafeCheck(check: CheckResult): CheckResult {
  if (!check.counterexample) return check;
  try {
    JSON.stringify(check.counterexample.value, replacer);
    return check;
  } catch {
    return { ...check, counterexample: { ...check.counterexample, value: formatValue(check.counterexample.value) } };
  }
}
