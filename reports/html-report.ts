// report.html: one self-contained page (inline CSS and SVG, no script, no external URL) that a
// platform team reads offline before upgrading a gateway.
import { renderCheckRow, renderFailureCard } from './html-check.ts';
import { htmlEscape } from './html-escape.ts';
import { suiteViews, verdictLine, verdictOf } from './report-model.ts';
import { summarize } from './results.ts';
import type { RunResults } from './results.ts';
import { formatMs } from './report-text.ts';

// The policy forbids every fetch and every script: even an escaping bug could not load or run anything.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1100px; padding: 16px 24px 48px; color: #1f2328; background: #fff; }
header.verdict { border-radius: 8px; padding: 14px 20px; margin-bottom: 20px; }
header.verdict h1 { margin: 0 0 4px; font-size: 24px; }
header.verdict p { margin: 0; }
.verdict-pass { background: #dafbe1; border: 1px solid #4ac26b; }
.verdict-fail { background: #ffebe9; border: 1px solid #ff8182; }
.verdict-empty { background: #f6f8fa; border: 1px solid #d0d7de; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 28px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
td.num, th.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; min-width: 3.2em; text-align: center; border-radius: 4px; padding: 1px 6px; font-size: 12px; font-weight: 700; color: #fff; }
.badge-pass { background: #1a7f37; } .badge-fail { background: #cf222e; } .badge-skip, .badge-empty { background: #6e7781; }
.check-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.suite-name { font-size: 13px; font-weight: 400; color: #57606a; margin-left: 6px; }
article.check { border: 1px solid #ff8182; border-left-width: 5px; border-radius: 6px; padding: 4px 16px 12px; margin: 14px 0; }
article.check h3 { margin: 10px 0 6px; }
.message { font-weight: 500; white-space: pre-wrap; overflow-wrap: anywhere; }
ul.evidence { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; background: #f6f8fa; border-radius: 6px; padding: 8px 8px 8px 28px; }
ul.evidence li { white-space: pre-wrap; overflow-wrap: anywhere; margin: 2px 0; }
.counterexample { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 4px 14px 8px; margin: 10px 0; }
.counterexample h4 { margin: 8px 0 4px; }
.counterexample pre { background: #fff; border: 1px solid #eaeef2; border-radius: 4px; padding: 8px; overflow: auto; max-height: 320px; }
.counterexample dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0 0; }
.counterexample dt { font-weight: 600; } .counterexample dd { margin: 0; overflow-wrap: anywhere; }
code.replay { background: #1f2328; color: #fff; padding: 2px 6px; border-radius: 4px; }
figure.timeline-figure { margin: 12px 0 4px; }
figure.timeline-figure figcaption { font-weight: 600; margin-bottom: 4px; }
svg.timeline { display: block; max-width: 960px; border: 1px solid #eaeef2; border-radius: 6px; background: #fff; font-family: system-ui, sans-serif; }
ul.facts { margin: 6px 0 0; color: #424a53; }
details summary { cursor: pointer; color: #0969da; }
table.checks { table-layout: fixed; } table.checks th:nth-child(1) { width: 64px; } table.checks th:nth-child(2) { width: 280px; } table.checks th:nth-child(4) { width: 64px; }
.meta { color: #57606a; }
`;

/** Renders the whole page; every string from the run is escaped, the page needs no network. */
export function renderHtmlReport(results: RunResults): string {
  const summary = summarize(results.checks);
  const verdict = verdictOf(summary);
  const views = suiteViews(results.checks);
  const failures = results.checks.filter((c) => c.status === 'fail').map((check, i) => [check, `fail-${i + 1}`] as const);
  const anchors = new Map(failures);
  const gateway = results.gateway;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${htmlEscape(`bedrock-conformance: ${verdictLine(summary)}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="verdict verdict-${verdict}">
<h1 id="verdict">${htmlEscape(verdictLine(summary))}</h1>
<p>Gateway <strong>${htmlEscape(gateway.kind)}</strong> at <code>${htmlEscape(gateway.url)}</code>${gateway.description ? ` (${htmlEscape(gateway.description)})` : ''}</p>
<p class="meta">Started ${htmlEscape(results.startedAt)} · took ${formatMs(results.durationMs)} · seed ${results.seed} · ${results.runs} runs per property · ${summary.pass} pass, ${summary.fail} fail, ${summary.skip} skip</p>
</header>
<section id="suites">
<h2>Suites</h2>
<table>
<thead><tr><th>Suite</th><th>Verdict</th><th class="num">Pass</th><th class="num">Fail</th><th class="num">Skip</th></tr></thead>
<tbody>
${views.map((v) => `<tr><td class="check-id">${htmlEscape(v.suite)}</td><td><span class="badge badge-${v.verdict}">${v.verdict === 'empty' ? 'SKIP' : v.verdict.toUpperCase()}</span></td><td class="num">${v.summary.pass}</td><td class="num">${v.summary.fail}</td><td class="num">${v.summary.skip}</td></tr>`).join('\n')}
</tbody>
</table>
</section>
${failures.length > 0 ? `<section id="failures">\n<h2>Failing checks (${failures.length})</h2>\n${failures.map(([check, anchor]) => renderFailureCard(check, anchor)).join('\n')}\n</section>` : ''}
<section id="checks">
<h2>All checks</h2>
${views.map((v) => `<h3>${htmlEscape(v.suite)}</h3>
<table class="checks">
<thead><tr><th>Status</th><th>Check</th><th>Message</th><th class="num">Time</th></tr></thead>
<tbody>
${v.checks.map((check) => renderCheckRow(check, anchors.get(check))).join('\n')}
</tbody>
</table>`).join('\n')}
</section>
</body>
</html>
`;
}
