import test from 'ava';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createNetServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { CHECK_STATUSES, summarize, type RunResults } from '../reports/results.ts';
import { startReferenceGateway } from '../runner/reference-gateway.ts';
import { SUITES } from '../runner/suite-registry.ts';
import { REPO_ROOT } from './shared-paths.ts';

interface Ran { code: number | null; stdout: string; stderr: string; ms: number }

/** Runs the CLI as a user would (the package's bin), from a directory that is not the repository. */
function cli(args: string[], cwd = tmpdir()): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'bedrock-conformance.js'), ...args], {
      cwd, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

async function listen(server: Server | ReturnType<typeof createServer>): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function closedPort(): Promise<number> {
  const server = createNetServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('run command › --help shows Usage, Options and Examples', async (t) => {
  const ran = await cli(['run', '--help']);
  t.is(ran.code, 0);
  for (const heading of ['Usage', 'Options', 'Examples', '--gateway', '--suite', '--seed', '--runs', '--http2']) t.true(ran.stdout.includes(heading), heading);
});

const usageErrors: [string, string[], RegExp][] = [
  ['an unknown flag', ['--gatway', 'http://x'], /Unknown option '--gatway'/],
  ['an unknown suite', ['--suite', 'nope'], new RegExp(`unknown suite 'nope'. Suites: ${SUITES.map((s) => s.id).join(', ')}`)],
  ['an unknown flaw', ['--gateway', 'builtin:nope'], /unknown gateway flaw 'nope'; flaws: no-resign/],
  ['a bad --runs', ['--runs', '0'], /--runs must be an integer from 1/],
  ['a bad --mock-port', ['--mock-port', 'x'], /--mock-port must be a port number/],
  ['a non-URL --gateway', ['--gateway', 'localhost:8000'], /only http:\/\/ URLs are supported|must be an http:\/\/ URL/],
];
for (const [what, args, message] of usageErrors) {
  test(`run command › ${what} exits 2 with a message`, async (t) => {
    const ran = await cli(['run', ...args]);
    t.is(ran.code, 2);
    t.regex(ran.stderr, message);
    t.is(ran.stdout, '');
  });
}

test('run command › a gateway that is down is a setup error (exit 2), not a wall of failures', async (t) => {
  const port = await closedPort();
  const ran = await cli(['run', '--gateway', `http://127.0.0.1:${port}`, '--mock-port', '0']);
  t.is(ran.code, 2);
  t.regex(ran.stderr, new RegExp(`the gateway at http://127.0.0.1:${port} is not accepting connections \\(ECONNREFUSED`));
  t.false(ran.stderr.includes('FAIL'));
  t.is(ran.stdout, '');
});

test('run command › a gateway that answers something other than HTTP is a setup error', async (t) => {
  const server = createNetServer((socket) => {
    socket.on('error', () => {});
    socket.end('SSH-2.0-OpenSSH_9.6\r\n');
  });
  const port = await listen(server);
  t.teardown(() => server.close());
  const ran = await cli(['run', '--gateway', `http://127.0.0.1:${port}`, '--mock-port', '0']);
  t.is(ran.code, 2);
  t.regex(ran.stderr, /accepted a connection but did not answer a Bedrock request with HTTP/);
});

test('run command › a gateway that answers but does not forward to the mock is a setup error', async (t) => {
  const server = createServer((_req, res) => { res.statusCode = 404; res.end('no route matched'); });
  const port = await listen(server);
  t.teardown(() => server.close());
  const ran = await cli(['run', '--gateway', `http://127.0.0.1:${port}`, '--mock-port', '0']);
  t.is(ran.code, 2);
  t.regex(ran.stderr, /answered HTTP 404 .* but never forwarded it to the mock at http:\/\/127\.0\.0\.1:\d+ \(it said: no route matched\)/);
});

// The two full runs go first and alone (ava runs serial tests before the others): their timing checks need a quiet machine.
test.serial('run command › --gateway URL prints the setup and drives a gateway forwarding to --mock-port', async (t) => {
  const mockPort = await closedPort();
  const gateway = await startReferenceGateway({ upstreamUrl: `http://127.0.0.1:${mockPort}`, credentials: { ...DEFAULT_CREDENTIALS } });
  t.teardown(() => gateway.close());
  const dir = await mkdtemp(join(tmpdir(), 'bc-run-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ran = await cli(['run', '--gateway', gateway.url, '--mock-port', String(mockPort), '--suite', 'tool-use-flows', '--report-dir', dir]);
  t.is(ran.code, 0, ran.stderr);
  t.true(ran.stderr.includes(`Bedrock endpoint / upstream URL  http://127.0.0.1:${mockPort}`));
  t.true(ran.stderr.includes(`AWS access key id                ${DEFAULT_CREDENTIALS.accessKeyId}`));
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
  t.deepEqual(results.gateway, { kind: 'external', url: gateway.url });
  t.true(results.checks.length > 0);
  t.true(results.checks.every((c) => c.suite === 'tool-use-flows'));
});

test.serial('run command › the default run passes every check, exits 0 and writes results.json per the contract', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'bc-run-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ran = await cli(['run', '--report-dir', dir, '--seed', '7']);
  t.log(`default run took ${(ran.ms / 1000).toFixed(1)} s`);
  t.is(ran.code, 0, ran.stdout + ran.stderr);
  t.regex(ran.stdout, /^PASS: all \d+ checks passed/m);
  t.regex(ran.stdout, /^Report: \S*bc-run-\w+\/report\.html/m);
  for (const suite of SUITES) t.regex(ran.stderr, new RegExp(`ok\\s+${suite.id}: \\d+ checks`), suite.id);
  for (const file of ['results.json', 'junit.xml', 'summary.md', 'report.html']) t.true(existsSync(join(dir, file)), file);

  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
  t.is(results.version, 1);
  t.is(results.gateway.kind, 'reference');
  t.regex(results.gateway.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.is(results.seed, 7);
  t.is(results.runs, 25);
  t.true(results.checks.length > 0);
  for (const check of results.checks) {
    t.is(typeof check.id, 'string');
    t.is(typeof check.message, 'string');
    t.true((CHECK_STATUSES as readonly string[]).includes(check.status), check.id);
    t.true(SUITES.some((s) => s.id === check.suite), `${check.id}: suite ${check.suite}`);
  }
  t.is(new Set(results.checks.map((c) => c.id)).size, results.checks.length, 'check ids are unique');
  t.deepEqual(results.summary, summarize(results.checks));
  t.is(results.summary.fail, 0);
  for (const suite of SUITES) t.true(results.checks.some((c) => c.suite === suite.id), `${suite.id} produced checks`);
  t.false(JSON.stringify(results).includes(DEFAULT_CREDENTIALS.secretAccessKey));
});
