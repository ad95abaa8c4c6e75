// The Portkey profile end to end, as CI runs it: the real @portkey-ai/gateway started by the CLI,
// driven with the OpenAI client, results compared with the baseline kept in the repository.
import test from 'ava';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import type { RunResults } from '../reports/results.ts';
import { REPO_ROOT } from './shared-paths.ts';

const BASELINE = join(REPO_ROOT, 'reports', 'baselines', 'portkey.json');

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'bedrock-conformance.js'), ...args], {
      cwd: tmpdir(), env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('portkey profile › a full run matches the baseline, and its known findings are the ones reported', async (t) => {
  t.timeout(180_000);
  const dir = await mkdtemp(join(tmpdir(), 'portkey-profile-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ran = await cli(['run', '--profile', 'portkey', '--seed', '1', '--baseline', BASELINE, '--report-dir', dir]);
  t.log(ran.stdout.split('\n').filter((l) => l.startsWith('BASELINE') || l.startsWith('  ')).join('\n'));
  t.is(ran.code, 0, `${ran.stdout}\n${ran.stderr}`);
  t.regex(ran.stdout, /BASELINE: no change from .*portkey\.json \(\d+ checks\)/);

  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
  t.is(results.gateway.kind, 'profile:portkey');
  const byId = new Map(results.checks.map((c) => [c.id, c]));
  const flows = results.checks.filter((c) => c.suite === 'openai-tool-use-flows');
  t.true(flows.length >= 2 && flows.every((c) => c.status === 'pass'), 'the seed flow and the other Converse flows pass through Portkey');
  t.is(byId.get('openai-tool-use-flows/seed-cohere-top-song-converse-stream')?.status, 'pass');
  t.regex(byId.get('openai-sigv4/host-with-port')?.message ?? '', /signs the host header without its port/);
  t.regex(byId.get('openai-errors/mid-stream-throttlingException')?.message ?? '', /never reached the client: the stream ended normally with data: \[DONE\]/);
  t.is(byId.get('openai-errors/http-ThrottlingException')?.status, 'pass', 'a 429 before the stream reaches the client as a 429');
  const cuts = byId.get('openai-chunking/length-prefix-cuts');
  t.is(cuts?.status, 'fail');
  t.regex(cuts?.message ?? '', /length prefix/);
  const property = results.checks.find((c) => c.id.startsWith('openai-chunking/split-plans/'));
  t.truthy(property?.counterexample?.words, 'the split property gives its minimal counterexample in words');
  const reports = await Promise.all(['results.json', 'junit.xml', 'summary.md', 'report.html'].map((f) => readFile(join(dir, f), 'utf8')));
  for (const text of reports) t.false(text.includes(DEFAULT_CREDENTIALS.secretAccessKey), 'no report holds the upstream secret key');
});

test('portkey profile › flags that cannot go together are usage errors', async (t) => {
  const both = await cli(['run', '--profile', 'portkey', '--gateway', 'http://127.0.0.1:1']);
  t.is(both.code, 2);
  t.regex(both.stderr, /--profile and --gateway both name the gateway under test/);
  const unknown = await cli(['run', '--profile', 'kong']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /unknown profile 'kong'\. Profiles: portkey/);
  const noFile = await cli(['run', '--update-baseline']);
  t.is(noFile.code, 2);
  t.regex(noFile.stderr, /--update-baseline needs --baseline FILE/);
  const wrongApi = await cli(['run', '--suite', 'openai-errors']);
  t.is(wrongApi.code, 2, 'the OpenAI suites need a profile that speaks chat completions');
  t.regex(wrongApi.stderr, /unknown suite 'openai-errors'/);
});
