// summary.md: short enough for a GitHub job summary ($GITHUB_STEP_SUMMARY), readable as plain text.
import { suiteViews, verdictLine, verdictOf } from './report-model.ts';
import type { Verdict } from './report-model.ts';
import { summarize } from './results.ts';
import type { CheckResult, RunResults } from './results.ts';
import { formatMs, formatValue, replayCommand, showControls, truncate } from './report-text.ts';

/** How many failing checks get a full section; the rest are listed by id (full detail in report.html). */
export const MARKDOWN_DETAILED_FAILURES = 20;

const ICON: Record<Verdict, string> = { pass: '✅', fail: '❌', empty: '⚪' };

/** Escapes one line of untrusted text for Markdown: no HTML, no links, no table breaks. */
export function mdEscape(text: string): string {
  return showControls(text)
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&');
}

/** Renders the verdict, a per-suite table and the failing checks with their minimal counterexamples. */
export function renderMarkdownReport(results: RunResults): string {
  const summary = summarize(results.checks);
  const verdict = verdictOf(summary);
  const views = suiteViews(results.checks);
  const out = [
    `## ${ICON[verdict]} bedrock-conformance ${mdEscape(verdictLine(summary))}`,
    '',
    `Gateway: ${mdEscape(results.gateway.kind)} ${mdEscape(results.gateway.url)} · seed ${results.seed} · ${results.runs} runs · ${formatMs(results.durationMs)}`,
    '',
    '| Suite | Verdict | Pass | Fail | Skip |',
    '| --- | --- | ---: | ---: | ---: |',
    ...views.map((v) => `| ${mdEscape(v.suite)} | ${ICON[v.verdict]} ${v.verdict} | ${v.summary.pass} | ${v.summary.fail} | ${v.summary.skip} |`),
  ];
  const failing = results.checks.filter((check) => check.status === 'fail');
  if (failing.length > 0) {
    out.push('', '### Failing checks');
    for (const check of failing.slice(0, MARKDOWN_DETAILED_FAILURES)) out.push('', ...failureSection(check));
    const rest = failing.slice(MARKDOWN_DETAILED_FAILURES);
    if (rest.length > 0) {
      out.push('', `…and ${rest.length} more failing checks (see report.html): ${rest.map((c) => mdEscape(c.id)).join(', ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

function failureSection(check: CheckResult): string[] {
  const lines = [`#### ❌ ${mdEscape(check.id)} (${mdEscape(check.suite)})`, '', mdEscape(truncate(check.message, 500))];
  const evidence = check.evidence ?? [];
  if (evidence.length > 0) {
    lines.push('');
    for (const line of evidence.slice(0, 5)) lines.push(`- ${mdEscape(truncate(line, 200))}`);
    if (evidence.length > 5) lines.push(`- …${evidence.length - 5} more lines in report.html`);
  }
  const cx = check.counterexample;
  if (cx) {
    lines.push('', `**Minimal counterexample** (seed ${cx.seed}): ${mdEscape(truncate(cx.words, 300))}`, '', ...fenced(formatValue(cx.value, 600), 'json'));
    lines.push('', 'Replay:', '', ...fenced(replayCommand(check) ?? '', 'sh'));
  }
  return lines;
}

// A code fence longer than any backtick run inside, so hostile content cannot close it.
function fenced(text: string, lang: string): string[] {
  const safe = showControls(text);
  const longest = Math.max(2, ...[...safe.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, safe, fence];
}
