// junit.xml: what CI systems (GitHub, GitLab, Jenkins) read to show per-check results.
import { suiteViews } from './report-model.ts';
import { summarize } from './results.ts';
import type { CheckResult, RunResults } from './results.ts';
import { formatValue, replayCommand, showControls, truncate } from './report-text.ts';

/** Escapes text for XML 1.0 element content or a quoted attribute; invalid characters become visible escapes. */
export function xmlEscape(text: string, attribute = false): string {
  const escaped = showControls(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
  // Attribute value normalisation would turn raw newlines and tabs into spaces.
  return attribute ? escaped.replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;') : escaped;
}

/** One <testsuite> per suite, one <testcase classname=suite name=id> per check. */
export function renderJunitReport(results: RunResults): string {
  const total = summarize(results.checks);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="bedrock-conformance" tests="${results.checks.length}" failures="${total.fail}" errors="0" skipped="${total.skip}" time="${seconds(results.durationMs)}" timestamp="${attr(results.startedAt)}">`,
  ];
  for (const view of suiteViews(results.checks)) {
    const time = view.checks.reduce((sum, check) => sum + (check.durationMs ?? 0), 0);
    lines.push(
      `  <testsuite name="${attr(view.suite)}" tests="${view.checks.length}" failures="${view.summary.fail}" errors="0" skipped="${view.summary.skip}" time="${seconds(time)}" timestamp="${attr(results.startedAt)}">`,
      '    <properties>',
      `      <property name="gateway.kind" value="${attr(results.gateway.kind)}"/>`,
      `      <property name="gateway.url" value="${attr(results.gateway.url)}"/>`,
      `      <property name="seed" value="${results.seed}"/>`,
      `      <property name="runs" value="${results.runs}"/>`,
      '    </properties>',
    );
    for (const check of view.checks) lines.push(...testcase(check));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function testcase(check: CheckResult): string[] {
  const open = `    <testcase classname="${attr(check.suite)}" name="${attr(check.id)}" time="${seconds(check.durationMs ?? 0)}"`;
  if (check.status === 'pass') return [`${open}/>`];
  if (check.status === 'skip') return [`${open}>`, `      <skipped message="${attr(truncate(check.message, 1000))}"/>`, '    </testcase>'];
  return [
    `${open}>`,
    `      <failure message="${attr(truncate(check.message, 1000))}" type="ConformanceFailure">${xmlEscape(failureBody(check))}</failure>`,
    '    </testcase>',
  ];
}

// The failure text CI shows on expand: message, evidence, counterexample and how to replay it.
function failureBody(check: CheckResult): string {
  const parts = [check.message];
  if (check.evidence?.length) {
    parts.push('', 'Evidence:', ...check.evidence.slice(0, 50).map((line) => `  - ${truncate(line, 2000)}`));
    if (check.evidence.length > 50) parts.push(`  … ${check.evidence.length - 50} more lines`);
  }
  const cx = check.counterexample;
  if (cx) {
    parts.push('', `Minimal counterexample: ${cx.words}`, formatValue(cx.value), `seed: ${cx.seed}`);
    if (cx.path !== undefined) parts.push(`path: ${cx.path}`);
    parts.push(`replay: ${replayCommand(check)}`);
  }
  return parts.join('\n');
}

function attr(text: string): string {
  return xmlEscape(text, true);
}

function seconds(ms: number): string {
  return Number.isFinite(ms) ? (Math.max(0, ms) / 1000).toFixed(3) : '0.000';
}
