import test from 'ava';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { writeReports } from '../reports/write-reports.ts';
import { buildRunResults } from './report-fixture.ts';

const run = promisify(execFile);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MISSING = `headless Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`;

let workDir = '';
let reportUrl = '';
test.before(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'html-browser-'));
  const { files } = await writeReports(join(workDir, 'out'), buildRunResults());
  reportUrl = pathToFileURL(files.find((file) => file.endsWith('report.html'))!).href;
});
test.after.always(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

// Runs Chromium headless with a fresh profile, offline-friendly flags, and the given extra flags.
async function chromium(extra: string[], url: string): Promise<string> {
  const profile = await mkdtemp(join(workDir, 'profile-'));
  const flags = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', `--user-data-dir=${profile}`, ...extra, url,
  ];
  const { stdout } = await run(CHROMIUM, flags, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function screenshot(url: string, name: string): Promise<Buffer> {
  const file = join(workDir, name);
  await chromium([`--screenshot=${file}`, '--window-size=1200,2000', '--hide-scrollbars'], url);
  return readFile(file);
}

test('report.html in Chromium › renders the verdict, the failing checks and the svg timelines', async (t) => {
  if (!existsSync(CHROMIUM)) return t.fail(MISSING);
  const dom = await chromium(['--dump-dom'], reportUrl);
  t.regex(dom, /<h1 id="verdict">FAIL: 3 of 7 checks failed \(1 skipped\)<\/h1>/);
  t.regex(dom, /<span class="check-id">streaming\/no-buffering<\/span>/);
  t.regex(dom, /<span class="check-id">errors\/mid-stream-throttling<\/span>/);
  t.true(dom.includes('bedrock-conformance run --suite streaming --seed 1706543210'));
  t.is(dom.match(/<svg class="timeline"/g)?.length, 2);
  t.is(dom.match(/<circle class="marker marker-received"/g)?.length, 50, '25 received markers in each of the two timelines');
  t.regex(dom, /<text class="label label-received"[^>]*>25 events<\/text>/);
  t.false(/<(img|script)\b/i.test(dom), 'the hostile <img onerror> stayed text: no element was created');
});

test('report.html in Chromium › screenshot is a real page, not a blank one', async (t) => {
  if (!existsSync(CHROMIUM)) return t.fail(MISSING);
  const blankFile = join(workDir, 'blank.html');
  await writeFile(blankFile, '<!doctype html><title>blank</title>', 'utf8');
  const report = await screenshot(reportUrl, 'report.png');
  const blank = await screenshot(pathToFileURL(blankFile).href, 'blank.png');
  t.deepEqual([...report.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  t.deepEqual([report.readUInt32BE(16), report.readUInt32BE(20)], [1200, 2000], 'PNG size matches the window');
  t.true(report.length > 5 * blank.length, `report ${report.length} bytes vs blank ${blank.length} bytes`);
  t.log(`screenshot: ${report.length} bytes (blank page: ${blank.length} bytes)`);
});
