// The recorder's error messages: no credentials, a region without Bedrock, no model access,
// throttling. Network is loopback only; a guard in the CLI child proves it.
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { explainUpstreamError } from '../runner/record-errors.ts';
import { recordRun, type RecordRunOptions } from '../runner/record-run.ts';
import { RECORD_SCENARIOS } from '../runner/record-scenarios.ts';
import { bedrockError, childEnv, runCli, startUpstream, topSongCassette, writeCassetteResponse } from './recorder-fixtures.ts';

async function temp(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recorder-errors-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
const streamFlow = RECORD_SCENARIOS.find((s) => s.id === 'top-song-converse-stream')!;

/** Preloaded into a CLI child: logs and blocks any connection or DNS lookup that is not loopback. */
const NETWORK_GUARD = `
import dns from 'node:dns';
import dnsPromises from 'node:dns/promises';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);
const note = (what) => process.stderr.write('NETWORK-ATTEMPT ' + what + '\\n');
const notFound = (hostname) => Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), { code: 'ENOTFOUND', hostname });
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = typeof first === 'object' && first !== null ? first : { port: first, host: args[1] };
  if (options.path === undefined && !LOOPBACK.has(options.host ?? 'localhost')) {
    note('connect ' + options.host + ':' + options.port);
    process.nextTick(() => this.destroy(Object.assign(new Error('blocked'), { code: 'ENETUNREACH' })));
    return this;
  }
  return connect.apply(this, args);
};
const lookup = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  const cb = typeof options === 'function' ? options : callback;
  if (LOOPBACK.has(hostname)) return lookup.call(this, hostname, options, callback);
  note('dns ' + hostname);
  process.nextTick(() => cb(notFound(hostname)));
};
const promiseLookup = dnsPromises.lookup;
dns.promises.lookup = dnsPromises.lookup = async function (hostname, options) {
  if (LOOPBACK.has(hostname)) return promiseLookup.call(this, hostname, options);
  note('dns ' + hostname);
  throw notFound(hostname);
};
syncBuiltinESMExports();
`;

async function guardArgs(dir: string): Promise<string[]> {
  const file = path.join(dir, 'network-guard.mjs');
  await writeFile(file, NETWORK_GUARD);
  return ['--import', file];
}

test('network guard › sees and blocks a connection that is not loopback (so the tests below can fail)', async (t) => {
  const dir = await temp(t);
  const script = path.join(dir, 'try.mjs');
  await writeFile(script, "import net from 'node:net'; net.connect(443, '192.0.2.1').on('error', () => {});");
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, [...await guardArgs(dir), script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
  await new Promise((resolve) => child.on('close', resolve));
  t.regex(stderr, /NETWORK-ATTEMPT connect 192\.0\.2\.1:443/);
});

test('record › no credentials anywhere: names every source tried, exits 2, touches no network', async (t) => {
  const dir = await temp(t);
  const env = await childEnv(dir, { AWS_PROFILE: 'nonexistent' });
  const run = await runCli(['record', '--region', 'us-west-2', '--out', path.join(dir, 'out')], env, await guardArgs(dir));
  t.is(run.code, 2, run.stderr);
  for (const expected of [
    'no AWS credentials found', 'environment variables', 'AWS_ACCESS_KEY_ID is not set', "profile 'nonexistent'",
    `credentials file ${env.AWS_SHARED_CREDENTIALS_FILE} (no such profile)`, 'SSO', 'credential_process', 'web identity', 'ECS container', 'disabled by AWS_EC2_METADATA_DISABLED',
    'aws configure', 'aws sso login',
  ]) t.true(run.stderr.includes(expected), `missing '${expected}' in:\n${run.stderr}`);
  t.notRegex(run.stderr, /NETWORK-ATTEMPT/);
  t.is(run.stdout, '');
});

test('record › a region without Bedrock (its host does not resolve) is a setup error naming the region', async (t) => {
  const dir = await temp(t);
  const env = await childEnv(dir, { AWS_ACCESS_KEY_ID: DEFAULT_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: DEFAULT_CREDENTIALS.secretAccessKey });
  // The guard answers every non-loopback lookup with ENOTFOUND, as DNS does for a region Bedrock is not in.
  const run = await runCli(['record', '--region', 'xx-nowhere-9', '--out', path.join(dir, 'out')], env, await guardArgs(dir));
  t.is(run.code, 2, run.stderr);
  t.regex(run.stderr, /region 'xx-nowhere-9' has no Bedrock Runtime endpoint: bedrock-runtime\.xx-nowhere-9\.amazonaws\.com does not resolve/);
  t.deepEqual(run.stderr.match(/NETWORK-ATTEMPT .*/g), ['NETWORK-ATTEMPT dns bedrock-runtime.xx-nowhere-9.amazonaws.com']);
});

test('record errors › DNS failure of another host, and a refused connection, say what to fix', (t) => {
  const enotfound = Object.assign(new Error('getaddrinfo ENOTFOUND gw.example'), { code: 'ENOTFOUND' });
  t.regex(explainUpstreamError(enotfound, 'http://gw.example:8080', 'us-west-2'), /cannot resolve gw\.example:8080 \(ENOTFOUND\)/);
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  t.regex(explainUpstreamError(refused, 'http://127.0.0.1:9', 'us-west-2'), /nothing is listening at http:\/\/127\.0\.0\.1:9/);
});

async function runAgainst(t: { teardown(fn: () => unknown): void }, answers: (n: number) => Parameters<typeof writeCassetteResponse>[1], extra: Partial<RecordRunOptions> = {}) {
  let n = 0;
  const upstream = await startUpstream((_req, _body, res) => writeCassetteResponse(res, answers(n++)));
  t.teardown(() => upstream.close());
  const lines: string[] = [];
  const report = await recordRun({
    region: 'us-west-2', upstream: upstream.url, out: await temp(t), mode: 'record', scenarios: [streamFlow],
    credentials: async () => ({ ...DEFAULT_CREDENTIALS }), log: (line) => lines.push(line), ...extra,
  });
  return { report, lines, requests: () => n };
}

test('record › AccessDeniedException: the scenario is missed with how to request model access', async (t) => {
  const { report, requests } = await runAgainst(t, () => bedrockError('AccessDeniedException', 403, "You don't have access to the model with the specified model ID."));
  t.is(requests(), 1, 'access denied is not retried');
  t.is(report.missed.length, 1);
  const reason = report.missed[0]!.reason;
  t.regex(reason, /access denied for model 'cohere\.command-r-v1:0' in us-west-2/);
  t.regex(reason, /Request model access in the Bedrock console .*region=us-west-2#\/modelaccess/);
});

test('record › ThrottlingException: retried with exponential backoff, said on the log, only the good attempt kept', async (t) => {
  const flow = topSongCassette('throttled', 'converse-stream', 'cohere.command-r-v1:0');
  const throttled = bedrockError('ThrottlingException', 429, 'Too many requests, please wait before trying again.');
  const waits: number[] = [];
  const sleep = async (ms: number) => { waits.push(ms); };
  const { report, lines } = await runAgainst(t, (n) => (n < 2 ? throttled : flow.interactions[n - 2]!.response), { retry: { attempts: 4, baseMs: 250, sleep } });
  t.deepEqual(report.missed, []);
  t.deepEqual(waits, [250, 500]);
  t.deepEqual(lines.filter((l) => l.includes('throttled')), [
    "throttled by Bedrock (ThrottlingException) while recording 'top-song-converse-stream': retrying in 250 ms (attempt 2 of 4)",
    "throttled by Bedrock (ThrottlingException) while recording 'top-song-converse-stream': retrying in 500 ms (attempt 3 of 4)",
  ]);
  t.is(report.written.length, 1);
  const written = await readCassetteFile(report.written[0]!.file);
  t.deepEqual(written.ok && written.cassette.interactions.map((i) => i.response.status), [200, 200], 'throttled attempts are not in the cassette');
});

test('record › still throttled after the last attempt: missed, saying so', async (t) => {
  const throttled = bedrockError('ThrottlingException', 429, 'Too many requests, please wait before trying again.');
  const { report, requests } = await runAgainst(t, () => throttled, { retry: { attempts: 3, baseMs: 1, sleep: async () => {} } });
  t.is(requests(), 3);
  t.regex(report.missed[0]?.reason ?? '', /still throttled by Bedrock \(ThrottlingException\) after retrying with backoff/);
});
