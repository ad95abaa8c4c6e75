// Secrets stay out of everything the recorder writes or prints; cassette writes survive kill -9.
import test from 'ava';
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { readCassetteFile, writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { recordRun } from '../runner/record-run.ts';
import { RECORD_SCENARIOS } from '../runner/record-scenarios.ts';
import { ACCOUNT_ID_PLACEHOLDER, redactAccountIds, rememberSecret, scrub } from '../runner/redact.ts';
import { childEnv, runCli, topSongCassette } from './recorder-fixtures.ts';

async function temp(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recorder-safety-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('redact › account ids in ARNs become the placeholder, nothing else moves', (t) => {
  const cases: [string, string][] = [
    ['arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123', `arn:aws:bedrock:us-west-2:${ACCOUNT_ID_PLACEHOLDER}:application-inference-profile/abc123`],
    ['User: arn:aws:iam::210987654321:user/bob is not authorized', `User: arn:aws:iam::${ACCOUNT_ID_PLACEHOLDER}:user/bob is not authorized`],
    ['arn:aws-us-gov:bedrock:us-gov-west-1:333344445555:inference-profile/us-gov.x', `arn:aws-us-gov:bedrock:us-gov-west-1:${ACCOUNT_ID_PLACEHOLDER}:inference-profile/us-gov.x`],
    ['cohere.command-r-v1:0 and 42 tokens', 'cohere.command-r-v1:0 and 42 tokens'],
  ];
  for (const [input, expected] of cases) t.is(redactAccountIds(input), expected);
});

test('redact › property: an ARN account id never survives and lengths never change', (t) => {
  const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
  t.log(`seed=${seed}`);
  const arn = fc.record({
    id: fc.stringMatching(/^\d{12}$/),
    service: fc.constantFrom('bedrock', 'iam', 'sts', 'kms'),
    region: fc.constantFrom('', 'us-west-2', 'eu-central-1'),
    resource: fc.stringMatching(/^[a-z-]{1,12}\/[A-Za-z0-9.:-]{1,20}$/),
    around: fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })),
  });
  fc.assert(fc.property(arn, ({ id, service, region, resource, around }) => {
    const text = `${around[0]} arn:aws:${service}:${region}:${id}:${resource} ${around[1]}`;
    const out = redactAccountIds(text);
    return !out.includes(`:${id}:`) && out.length === text.length;
  }), { seed, numRuns: 300 });
  t.pass();
});

/** A fake key shaped like a real one, built at run time so no key-shaped literal sits in the repository. */
const FAKE_KEY_ID = ['AKIA', 'FAKE', 'TEST', 'ONLY', 'Z3MH'].join('');

test('redact › scrub removes remembered secrets, signatures, credential scopes, tokens and SigV4 dates', (t) => {
  const secret = 'tR7pXq2LmN9vB4cZ8wK1yH6jF3dS0aG5eU2iO7uQ';
  rememberSecret(secret);
  const text = [
    `secret was ${secret}`,
    `Authorization: AWS4-HMAC-SHA256 Credential=${FAKE_KEY_ID}/20261126/us-west-2/bedrock/aws4_request, SignedHeaders=host, ` +
      `Signature=${'ab12'.repeat(16)}`,
    'x-amz-security-token:IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLXdlc3QtMiJHMEUCIQ',
    'x-amz-date:20261126T202155Z',
  ].join('\n');
  const out = scrub(text);
  for (const leaked of [secret, FAKE_KEY_ID, 'ab12ab12', 'IQoJb3JpZ2lu', '20261126T202155Z']) t.false(out.includes(leaked), `${leaked} in ${out}`);
  t.regex(out, /secret was <redacted>/);
});

const streamFlow = RECORD_SCENARIOS.find((s) => s.id === 'top-song-converse-stream')!;
const FAKE = {
  accessKeyId: FAKE_KEY_ID,
  secretAccessKey: 'q8Zt4mR2vX9pL6wN3bK7yH1cF5dJ0sE4gU8aT2iO',
  sessionToken: `IQoJb3JpZ2luX2VjEJr${'Zm9vYmFyYmF6cXV4'.repeat(22)}GMEUCIQDx1`,
};
const ACCOUNT = '123456789012';
const ARN = `arn:aws:bedrock:us-west-2:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`;

function arnCassette(): Cassette {
  const cassette = topSongCassette('arn-flow', 'converse-stream', ARN);
  const second = cassette.interactions[1]!.response;
  second.headers.push(['x-amzn-bedrock-inference-profile', ARN]);
  const delta = second.events![2]!.json as { delta: { text: string } };
  delta.delta.text = `Elemental Hotel by 8 Storey Hike. (served by ${ARN})`;
  return cassette;
}

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return names.filter((d) => d.isFile()).map((d) => path.join(d.parentPath ?? d.path, d.name));
}

test('record › realistic credentials, signatures, dates and account ids appear in no written file and no output', async (t) => {
  const good = await startMock({ credentials: FAKE, cassettes: [arnCassette()] });
  const wrongSecret = await startMock({ credentials: { ...FAKE, secretAccessKey: FAKE.secretAccessKey.replace('q8', 'Q9') }, cassettes: [arnCassette()] });
  t.teardown(async () => { await good.close(); await wrongSecret.close(); });
  const dir = await temp(t);
  const env = await childEnv(dir, { AWS_ACCESS_KEY_ID: FAKE.accessKeyId, AWS_SECRET_ACCESS_KEY: FAKE.secretAccessKey, AWS_SESSION_TOKEN: FAKE.sessionToken });
  const out = path.join(dir, 'out');
  // Run 1 records the stream flow and misses the converse one (the mock has none); run 2 is refused a signature.
  const run1 = await runCli(['record', '--region', 'us-west-2', '--upstream', good.url, '--out', out, '--model', ARN,
    '--scenario', 'top-song-converse-stream', '--scenario', 'top-song-converse'], env);
  const run2 = await runCli(['record', '--region', 'us-west-2', '--upstream', wrongSecret.url, '--out', path.join(dir, 'out2'), '--model', ARN,
    '--scenario', 'top-song-converse-stream'], env);
  t.is(run1.code, 1, run1.stdout + run1.stderr);
  t.regex(run1.stdout, /record: 1 new, 0 unused, 1 missed/);
  t.is(run2.code, 1);
  t.regex(run2.stdout, /missed +top-song-converse-stream: AWS rejected the credentials \(InvalidSignatureException\)/);
  t.true(good.log.records.length >= 3 && good.log.records.every((r) => r.sigv4?.ok), 'the mock verified every signature');

  const recorded = await readCassetteFile(path.join(out, 'top-song-converse-stream.json'));
  if (!recorded.ok) return t.fail(recorded.errors.join('\n'));
  const redactedArn = ARN.replace(ACCOUNT, ACCOUNT_ID_PLACEHOLDER);
  t.is(recorded.cassette.interactions[0]!.request.modelId, redactedArn, 'model id');
  t.true(JSON.stringify(recorded.cassette.interactions[1]!.response.events).includes(`served by ${redactedArn}`), 'event body');
  t.deepEqual(recorded.cassette.interactions[1]!.response.headers.find(([n]) => n === 'x-amzn-bedrock-inference-profile'), ['x-amzn-bedrock-inference-profile', redactedArn]);

  const signatures = [...good.log.records, ...wrongSecret.log.records]
    .map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers.authorization))?.[1]).filter((s): s is string => !!s);
  const dates = [...good.log.records, ...wrongSecret.log.records].map((r) => String(r.headers['x-amz-date']));
  t.true(signatures.length >= 4 && dates.length >= 4);
  const needles = [FAKE.accessKeyId, FAKE.secretAccessKey, FAKE.sessionToken, FAKE.sessionToken.slice(0, 24), ACCOUNT, ...signatures, ...dates];
  await writeFile(path.join(dir, 'run-output.txt'), [run1.stdout, run1.stderr, run2.stdout, run2.stderr].join('\n'));
  const files = (await filesUnder(dir)).filter((f) => !f.endsWith('empty-aws-file'));
  t.true(files.length >= 2, files.join(', '));
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    for (const needle of needles) t.false(text.includes(needle), `${path.relative(dir, file)} contains ${needle.slice(0, 12)}…`);
    t.notRegex(text, /AWS4-HMAC-SHA256 Credential=(?!<redacted>)/, `${path.relative(dir, file)} holds an Authorization value`);
  }
});

test('record › --keep-account-ids keeps them as recorded (and still no credentials)', async (t) => {
  const mock = await startMock({ cassettes: [arnCassette()] });
  t.teardown(() => mock.close());
  const out = await temp(t);
  const report = await recordRun({
    region: 'us-west-2', upstream: mock.url, out, mode: 'record', keepAccountIds: true, log: () => {},
    credentials: async () => ({ ...DEFAULT_CREDENTIALS }), scenarios: [{ ...streamFlow, modelId: ARN }],
  });
  t.deepEqual(report.missed, []);
  const text = await readFile(report.written[0]!.file, 'utf8');
  t.true(text.includes(`"modelId": "${ARN}"`));
  t.true(text.includes(`served by ${ARN}`));
  t.false(text.includes(DEFAULT_CREDENTIALS.secretAccessKey));
});

const WRITER = fileURLToPath(new URL('../mock-bedrock/cassette-load.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const BIG_WRITER_SCRIPT = `
import { writeCassetteFile } from ${JSON.stringify(WRITER)};

const headers = { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' };
const events = Array.from({ length: 20000 }, (_, i) => ({ at: i, headers, json: { contentBlockIndex: 0, delta: { text: 'chunk ' + i + ' ' + 'x'.repeat(400) }, p: 'abc' } }));
const big = { version: 1, id: 'big', description: 'a large cassette', source: { origin: 'synthetic', from: 'kill test' },
  interactions: [{ request: { operation: 'converse-stream', modelId: 'm', body: null }, response: { status: 200, headers: [], events } }] };
process.stdout.write('ready\\n');
for (;;) await writeCassetteFile(process.argv[2], big);
`;

test('cassette writer › kill -9 in the middle of a write leaves the previous cassette intact', async (t) => {
  const dir = await temp(t);
  const script = path.join(dir, 'write-big.mts');
  await writeFile(script, BIG_WRITER_SCRIPT);
  const target = path.join(dir, 'cassettes', 'scenario.json');
  const small = topSongCassette('small', 'converse-stream', 'cohere.command-r-v1:0');
  let killedMidWrite = 0;
  for (let round = 0; round < 4; round += 1) {
    await writeCassetteFile(target, small);
    const before = new Set(readdirSync(path.dirname(target)));
    const child = spawn(process.execPath, ['--import', 'tsx', script, target], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => child.on('close', resolve));
    const ready = await Promise.race([new Promise((resolve) => child.stdout.once('data', () => resolve(true))), exited.then(() => false)]);
    if (!ready) return t.fail('the writer script did not start');
    // Kill the moment a new temp file shows up: the writer is then between open() and rename().
    const deadline = Date.now() + 20_000;
    while (!readdirSync(path.dirname(target)).some((name) => !before.has(name) && name.endsWith('.tmp')) && Date.now() < deadline) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    await exited;
    const leftovers = readdirSync(path.dirname(target)).filter((name) => name.endsWith('.tmp') && !before.has(name));
    const result = await readCassetteFile(target);
    t.true(result.ok, `round ${round}: ${result.ok ? '' : result.errors.join('; ')}`);
    if (!result.ok) continue;
    if (leftovers.length > 0) {
      killedMidWrite += 1;
      t.deepEqual(result.cassette.interactions, small.interactions, `round ${round}: the previous cassette changed`);
    } else {
      t.true(result.cassette.id === 'small' || result.cassette.interactions[0]!.response.events!.length === 20000);
    }
  }
  t.true(killedMidWrite >= 1, 'never caught the writer mid-write');
  t.log(`${killedMidWrite} of 4 kills landed mid-write`);
  t.true(existsSync(target));
  await writeCassetteFile(target, small);
  t.deepEqual(readdirSync(path.dirname(target)).filter((name) => name.endsWith('.tmp')), [], 'the next write removes the temp files the killed writers left');
});
