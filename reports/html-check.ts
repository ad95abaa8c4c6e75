// report.html pieces for one check: the full failure card, and the row in the all-checks table.
import { htmlEscape } from './html-escape.ts';
import { renderTimelineSvg, timelineFacts } from './html-timeline.ts';
import type { CheckResult } from './results.ts';
import { formatMs, formatValue, replayCommand, truncate } from './report-text.ts';

const MAX_EVIDENCE_LINES = 200;

/** A failing check with everything needed to act on it: message, evidence, counterexample, timeline. */
export function renderFailureCard(check: CheckResult, anchor: string): string {
  return [
    `<article class="check check-fail" id="${anchor}">`,
    `<h3><span class="badge badge-fail">FAIL</span> <span class="check-id">${htmlEscape(check.id)}</span> <span class="suite-name">${htmlEscape(check.suite)}</span></h3>`,
    `<p class="message">${htmlEscape(truncate(check.message, 4000))}</p>`,
    evidenceBlock(check, true),
    counterexampleBlock(check),
    timelineBlock(check),
    '</article>',
  ].join('\n');
}

/** One row of the per-suite table; failing rows link to their card, others fold their details. */
export function renderCheckRow(check: CheckResult, failureAnchor?: string): string {
  const details = failureAnchor
    ? `<a href="#${failureAnchor}">details above</a>`
    : foldedDetails(check);
  return [
    `<tr class="row-${check.status}">`,
    `<td><span class="badge badge-${check.status}">${check.status.toUpperCase()}</span></td>`,
    `<td class="check-id">${htmlEscape(check.id)}</td>`,
    `<td>${htmlEscape(truncate(check.message, 1000))}${details ? `\n${details}` : ''}</td>`,
    `<td class="num">${formatMs(check.durationMs)}</td>`,
    '</tr>',
  ].join('\n');
}

function foldedDetails(check: CheckResult): string {
  const inner = [evidenceBlock(check, false), counterexampleBlock(check), timelineBlock(check)].filter(Boolean).join('\n');
  if (!inner) return '';
  const what = check.timeline ? 'evidence and timeline' : 'evidence';
  return `<details><summary>${what}</summary>\n${inner}\n</details>`;
}

function evidenceBlock(check: CheckResult, heading: boolean): string {
  const lines = check.evidence ?? [];
  if (lines.length === 0) return '';
  const shown = lines.slice(0, MAX_EVIDENCE_LINES).map((line) => `<li>${htmlEscape(truncate(line, 2000))}</li>`);
  if (lines.length > MAX_EVIDENCE_LINES) shown.push(`<li class="more">… ${lines.length - MAX_EVIDENCE_LINES} more lines in results.json</li>`);
  return `${heading ? '<h4>Evidence</h4>\n' : ''}<ul class="evidence">\n${shown.join('\n')}\n</ul>`;
}

function counterexampleBlock(check: CheckResult): string {
  const cx = check.counterexample;
  if (!cx) return '';
  const rows = [
    `<dt>seed</dt><dd><code>${cx.seed}</code></dd>`,
    cx.path === undefined ? '' : `<dt>path</dt><dd><code>${htmlEscape(cx.path)}</code></dd>`,
    `<dt>replay</dt><dd><code class="replay">${htmlEscape(replayCommand(check) ?? '')}</code></dd>`,
  ];
  return [
    '<div class="counterexample">',
    '<h4>Minimal counterexample</h4>',
    `<p>${htmlEscape(truncate(cx.words, 2000))}</p>`,
    `<pre>${htmlEscape(formatValue(cx.value))}</pre>`,
    `<dl>${rows.join('')}</dl>`,
    '</div>',
  ].join('\n');
}

function timelineBlock(check: CheckResult): string {
  if (!check.timeline) return '';
  const facts = timelineFacts(check.timeline).map((fact) => `<li>${htmlEscape(fact)}</li>`);
  return [
    '<figure class="timeline-figure">',
    `<figcaption>Timeline: frames sent by the mock vs events received by the client</figcaption>`,
    renderTimelineSvg(check.timeline, `Timeline of ${check.id}`),
    `<ul class="facts">${facts.join('')}</ul>`,
    '</figure>',
  ].join('\n');
}
