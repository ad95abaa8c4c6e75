import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { renderJunitReport } from '../reports/junit-report.ts';
import { renderTimelineSvg } from '../reports/html-timeline.ts';
import { showControls } from '../reports/report-text.ts';
import type { CheckResult, RunResults } from '../reports/results.ts';
import { writeReports } from '../reports/write-reports.ts';
import { buildRunResults, HOSTILE } from './report-fixture.ts';

const dirs: string[] = [];
test.after.always(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function written(results: RunResults = buildRunResults()): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'reports-test-'));
  dirs.push(dir);
  const { files } = await writeReports(join(dir, 'out'), results);
  const out: Record<string, string> = {};
  for (const file of files) out[file.slice(file.lastIndexOf('/') + 1)] = await readFile(file, 'utf8');
  return out;
}

// Parses junit.xml with Python's expat-based xml.etree (an independent XML 1.0 parser) and returns its shape.
const PARSE_JUNIT = `
import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suites = []
for s in root.findall('testsuite'):
    cases = []
    for c in s.findall('testcase'):
        f = c.find('failure')
        cases.append({'classname': c.get('classname'), 'name': c.get('name'),
                      'failure': None if f is None else {'message': f.get('message'), 'text': f.text},
                      'skipped': c.find('skipped') is not None})
    suites.append({'attrs': dict(s.attrib), 'cases': cases})
print(json.dumps({'root': dict(root.attrib), 'suites': suites}))
`;

interface ParsedJunit {
  root: Record<string, string>;
  suites: { attrs: Record<string, string>; cases: { classname: string; name: string; failure: { message: string; text: string } | null; skipped: boolean }[] }[];
}

async function parseJunit(xml: string): Promise<ParsedJunit> {
  const dir = await mkdtemp(join(tmpdir(), 'junit-parse-'));
  try {
    await writeFile(join(dir, 'junit.xml'), xml, 'utf8');
    return JSON.parse(execFileSync('python3', ['-c', PARSE_JUNIT, join(dir, 'junit.xml')], { encoding: 'utf8' })) as ParsedJunit;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writeReports › writes the four files into a new directory and leaves no temp files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'reports-test-'));
  dirs.push(dir);
  const target = join(dir, 'nested', 'out');
  const { files } = await writeReports(target, buildRunResults());
  t.deepEqual(files, ['results.json', 'junit.xml', 'summary.md', 'report.html'].map((name) => join(target, name)));
  await writeReports(target, { ...buildRunResults(), checks: [] });
  t.deepEqual((await readdir(target)).sort(), ['junit.xml', 'report.html', 'results.json', 'summary.md']);
  t.is(JSON.parse(await readFile(join(target, 'results.json'), 'utf8')).checks.length, 0, 'second write replaced the first');
});

test('results.json › round-trips and matches the contract', async (t) => {
  const results = buildRunResults();
  const text = (await written(results))['results.json']!;
  const parsed = JSON.parse(text);
  t.deepEqual(parsed, JSON.parse(JSON.stringify(results)));
  t.is(parsed.version, 1);
  t.deepEqual(parsed.summary, { pass: 3, fail: 3, skip: 1 });
  t.like(parsed.gateway, { kind: 'external', url: 'http://127.0.0.1:8000' });
  for (const check of parsed.checks) {
    t.true(['id', 'suite', 'status', 'message'].every((key) => typeof check[key] === 'string'), check.id);
    t.true(['pass', 'fail', 'skip'].includes(check.status));
  }
  t.true(text.includes('\n  "checks": ['), 'pretty-printed');
  t.is(parsed.checks[3].message.includes(HOSTILE), true, 'hostile text is data in JSON, kept as is');
});

test('results.json › summary is derived from the checks, not trusted', async (t) => {
  const results = { ...buildRunResults(), summary: { pass: 99, fail: 0, skip: 0 } };
  t.deepEqual(JSON.parse((await written(results))['results.json']!).summary, { pass: 3, fail: 3, skip: 1 });
});

test('results.json › a bigint or cyclic counterexample value becomes text instead of breaking the report', async (t) => {
  const base = buildRunResults();
  const cyclic: Record<string, unknown> = { splitAt: 3 };
  cyclic.self = cyclic;
  const checks = base.checks.map((check, i) =>
    check.counterexample ? { ...check, counterexample: { ...check.counterexample, value: i === 2 ? { n: 2n ** 70n } : cyclic } } : check);
  const parsed = JSON.parse((await written({ ...base, checks }))['results.json']!);
  t.deepEqual(parsed.checks[2].counterexample.value, { n: '1180591620717411303424' });
  t.is(parsed.checks[3].counterexample.value, '<ref *1> { splitAt: 3, self: [Circular *1] }');
});

test('junit.xml › parses with xml.etree: one testcase per check, right counts, failures carry the counterexample', async (t) => {
  const results = buildRunResults();
  const junit = await parseJunit((await written(results))['junit.xml']!);
  t.like(junit.root, { tests: '7', failures: '3', skipped: '1', errors: '0', time: '13.015' });
  t.deepEqual(junit.suites.map((s) => s.attrs.name), ['streaming', 'errors', 'sigv4', 'tool-use']);
  t.like(junit.suites[0]!.attrs, { tests: '3', failures: '2', skipped: '0', time: '12.130' });
  const cases = junit.suites.flatMap((s) => s.cases);
  t.deepEqual(cases.map((c) => [c.classname, c.name]), results.checks.map((c) => [c.suite, c.id]));
  t.is(cases.filter((c) => c.failure).length, 3);
  t.deepEqual(cases.filter((c) => c.skipped).map((c) => c.name), ['sigv4/host-without-port']);
  const split = cases.find((c) => c.name === 'streaming/frames-split-anywhere')!.failure!;
  t.regex(split.text, /Minimal counterexample: split the stream after byte 2 of frame 3/);
  t.regex(split.text, /frame 3 \(218 bytes\) split after byte 2 of the prelude/);
  t.true(split.text.includes('replay: bedrock-conformance run --suite streaming --seed 1706543210'));
  const hostile = cases.find((c) => c.name === 'errors/mid-stream-throttling')!.failure!;
  t.is(hostile.message, `mid-stream throttlingException was swallowed; ${showControls(HOSTILE)}`);
  t.true(hostile.message.includes('\\u0000') && hostile.message.includes('\\u001b'), 'control characters shown, not dropped');
});

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 40 }),
  fc.constantFrom(']]>', '<![CDATA[', '&#0;', '"\'<>&', '\r\n\t', '\uD800x', '\uFFFE'),
);

test('junit.xml › stays well-formed and lossless for any gateway text, including ]]> and control characters', async (t) => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  t.log(`seed=${seed}`);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(anyText, anyText, anyText), { minLength: 1, maxLength: 4 }), async (texts) => {
      const checks: CheckResult[] = texts.map(([id, suite, message], i) => ({
        id: `${i}${id}`, suite, status: 'fail', message, evidence: [message, id],
        counterexample: { words: message, value: { text: message }, seed: i },
      }));
      const junit = await parseJunit(renderJunitReport({ ...buildRunResults(), checks }));
      const cases = junit.suites.flatMap((s) => s.cases);
      const bySuite = [...new Set(checks.map((c) => c.suite))].flatMap((suite) => checks.filter((c) => c.suite === suite));
      return cases.length === checks.length && cases.every((c, i) =>
        c.name === showControls(bySuite[i]!.id) && c.classname === showControls(bySuite[i]!.suite) && c.failure?.message === showControls(bySuite[i]!.message));
    }),
    { seed, numRuns: 40 },
  );
  t.pass();
});

test('summary.md › shows the verdict, a row per suite and the failing checks with their counterexamples', async (t) => {
  const md = (await written())['summary.md']!;
  t.regex(md.split('\n')[0]!, /^## ❌ .*FAIL: 3 of 7 checks failed \\\(1 skipped\\\)$/);
  t.regex(md, /\| streaming \| ❌ fail \| 1 \| 2 \| 0 \|/);
  t.regex(md, /\| sigv4 \| ✅ pass \| 1 \| 0 \| 1 \|/);
  t.regex(md, /#### ❌ streaming\/no-buffering \(streaming\)/);
  t.regex(md, /\*\*Minimal counterexample\*\* \(seed 1706543210\): split the stream after byte 2 of frame 3/);
  t.true(md.includes('```sh\nbedrock-conformance run --suite streaming --seed 1706543210\n```'));
  t.regex(md, /x{200}… \\\(9800 more chars\\\)/, 'long evidence is truncated');
  t.true(md.length < 8000, `short enough for a job summary (${md.length} chars)`);
  const prose = md.replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1$/gm, '');
  t.true(prose.includes('&lt;/script&gt;&lt;img'), 'hostile text is shown as text');
  t.false(/<(img|script|\/script)/i.test(prose), 'no raw HTML from the gateway outside code blocks');
  t.false(/[\u0000-\u0008\u001b]/.test(md), 'no raw control characters');
});

test('summary.md › a clean run says PASS and lists no failures', async (t) => {
  const results = buildRunResults();
  const md = (await written({ ...results, checks: results.checks.filter((c) => c.status !== 'fail') }))['summary.md']!;
  t.regex(md, /^## ✅ .*PASS: all 3 checks that ran passed/);
  t.false(md.includes('Failing checks'));
});

// Every tag in the page, with its attributes, as the browser's tokenizer would see them.
function tags(html: string): string[] {
  return html.match(/<[a-zA-Z][^>]*>/g) ?? [];
}

test('report.html › is self-contained: no script, no external URL in any tag or style', async (t) => {
  const html = (await written())['report.html']!;
  t.true(html.includes('https://evil.example/x.png'), 'fixture does carry a URL (as text)');
  const offending = tags(html).filter((tag) => /\b(src|href|srcset|action|poster|data|xlink:href)\s*=\s*["']?\s*(?!#)[^"'\s>]/i.test(tag));
  t.deepEqual(offending, [], 'only in-page #anchors are linked');
  t.false(/<(script|link|iframe|object|embed|img)\b/i.test(html));
  t.false(/url\(|@import/i.test(html));
  t.regex(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
});

test('report.html › escapes hostile gateway text and shows control characters', async (t) => {
  const html = (await written())['report.html']!;
  t.false(html.includes('</script><img'));
  t.true(html.includes('upstream said &lt;/script&gt;&lt;img src=&quot;https://evil.example/x.png&quot; onerror=alert(1)&gt; ]]&gt; \\u0000\\u001b[31mred\\u0007 \\u202egnp.exe'));
  t.deepEqual(tags(html).filter((tag) => /\son\w+\s*=/i.test(tag)), [], 'no event handler attribute anywhere');
  t.false(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202e]/.test(html), 'no raw control or bidi characters');
});

test('report.html › shows the verdict, each suite, and each failing check with counterexample and replay command', async (t) => {
  const html = (await written())['report.html']!;
  t.regex(html, /<header class="verdict verdict-fail">\n<h1 id="verdict">FAIL: 3 of 7 checks failed \(1 skipped\)<\/h1>/);
  for (const suite of ['streaming', 'errors', 'sigv4', 'tool-use']) t.true(html.includes(`<td class="check-id">${suite}</td>`), suite);
  t.is(html.match(/<article class="check check-fail"/g)?.length, 3);
  t.regex(html, /<h3><span class="badge badge-fail">FAIL<\/span> <span class="check-id">streaming\/frames-split-anywhere<\/span>/);
  t.true(html.includes('split the stream after byte 2 of frame 3 (inside the 4-byte total length)'));
  t.true(html.includes('<pre>{&quot;frame&quot;:3,&quot;splitAt&quot;:[2],&quot;writes&quot;:[[0,501],[501,503],[503,4870]]}</pre>'), 'counterexample value as JSON');
  t.true(html.includes('<dt>seed</dt><dd><code>1706543210</code></dd><dt>path</dt><dd><code>12:0:0</code></dd>'));
  t.true(html.includes('<code class="replay">bedrock-conformance run --suite streaming --seed 1706543210</code>'));
  t.true(html.includes('<code class="replay">bedrock-conformance run --suite errors --seed 42</code>'));
});

test('report.html › draws one svg per timeline; a buffered stream shows as one burst of 25 events', async (t) => {
  const results = buildRunResults();
  const html = (await written(results))['report.html']!;
  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  t.is(svgs.length, results.checks.filter((c) => c.timeline).length);
  const buffered = svgs.find((svg) => svg.includes('Timeline of streaming/no-buffering'))!;
  const streaming = svgs.find((svg) => svg.includes('Timeline of streaming/first-event-latency'))!;
  for (const svg of [buffered, streaming]) {
    t.is(svg.match(/class="marker marker-sent"/g)?.length, 25);
    t.is(svg.match(/class="marker marker-received"/g)?.length, 25);
    t.true(svg.includes('mock sent (25)') && svg.includes('client received (25)'));
  }
  t.regex(buffered, /<text class="label label-received"[^>]*font-weight="700"[^>]*>25 events<\/text>/);
  t.false(streaming.includes('25 events'), 'a real stream is not drawn as one burst');
  t.true(html.includes('first event reached the client 1502 ms after the mock sent the first frame'));
});

test('renderTimelineSvg › places markers left to right by time on a ms axis that covers every point', (t) => {
  const svg = renderTimelineSvg([
    { at: 0, side: 'sent', label: 'messageStart' },
    { at: 700, side: 'sent', label: 'metadata' },
    { at: 5, side: 'received', label: 'messageStart' },
    { at: 1234, side: 'received', label: 'metadata' },
  ], 'demo');
  const cx = (side: string) => [...svg.matchAll(new RegExp(`class="marker marker-${side}" cx="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
  const [s0, s1] = cx('sent');
  const [r0, r1] = cx('received');
  t.true(s0! < r0! && r0! < s1! && s1! < r1!, `${s0} < ${r0} < ${s1} < ${r1}`);
  const ticks = [...svg.matchAll(/class="tick"[^>]*>(\d+)</g)].map((m) => Number(m[1]));
  t.is(ticks[0], 0);
  t.true(ticks[ticks.length - 1]! >= 1234, `last tick ${ticks[ticks.length - 1]}`);
  t.is(svg.match(/class="link"/g)?.length, 2, 'each received event is joined to the frame it came from');
});

