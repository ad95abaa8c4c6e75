// Bad input never crashes the mock: every answer to a malformed request is a well-formed Bedrock error.
import test from 'ava';
import fc from 'fast-check';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { join } from 'node:path';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { startMock, type RunningMock } from '../mock-bedrock/start-mock.ts';
import { HARNESS_ERROR_HEADER } from '../mock-bedrock/wire-constants.ts';
import { rawPost } from './support/raw-post.ts';
import { sdkClient } from './support/sdk-client.ts';
import { REPO_ROOT } from './shared-paths.ts';

let mock: RunningMock;
let seedRound1: { modelId: string; body: Record<string, unknown> };

test.before(async () => {
  const read = await readCassetteFile(join(REPO_ROOT, 'cassettes/synthetic/seed-cohere-top-song-converse.json'));
  if (!read.ok) throw new Error(read.errors.join('\n'));
  const r = read.cassette.interactions[0]!.request;
  seedRound1 = { modelId: r.modelId, body: r.body as Record<string, unknown> };
  mock = await startMock({ cassettes: [read.cassette] });
});
test.after.always(() => mock?.close());

const seed = Number(process.env.FC_SEED ?? Date.now() % 2 ** 31);
const numRuns = Number(process.env.FC_RUNS ?? 150);

const target = fc.oneof(
  fc.constantFrom('/model/cohere.command-r-v1%3A0/converse', '/model/x/converse-stream', '/model/%E0%A4%A/invoke', '/model//converse', '/', '/model/a/unknown-op'),
  fc.string({ maxLength: 80 }).map((s) => `/${encodeURIComponent(s)}`),
  fc.string({ maxLength: 40 }).map((s) => `/model/${encodeURIComponent(s)}/converse`),
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.constant('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=00'),
  fc.constant('AWS4-HMAC-SHA256 Credential=/, SignedHeaders=, Signature='),
  fc.constant('Bearer '),
);
const body = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.json().map((j) => j),
  fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
  fc.constant('{"messages": ['),
);
const extraHeaders = fc.dictionary(
  fc.stringMatching(/^x-[a-z0-9-]{1,20}$/),
  fc.string({ maxLength: 8000 }).map((v) => v.replace(/[^\x20-\x7e]/g, 'a')),
  { maxKeys: 4 },
);

test.serial('mock robustness › garbage requests all get Bedrock-shaped errors and the mock stays up', async (t) => {
  t.log(`seed=${seed} (replay with FC_SEED=${seed})`);
  await fc.assert(
    fc.asyncProperty(target, authorization, body, extraHeaders, async (path, auth, payload, headers) => {
      const res = await rawPost(mock.url, path, payload, { ...headers, ...(auth === undefined ? {} : { authorization: auth }) });
      if (res.status < 400) return false;
      const errorType = res.headers['x-amzn-errortype'];
      if (typeof errorType !== 'string' || !/^[A-Za-z]+Exception(:|$)/.test(errorType)) return false;
      const parsed = JSON.parse(res.body.toString('utf8')) as { message?: unknown };
      return typeof parsed.message === 'string' && res.headers['content-type'] === 'application/json';
    }),
    { seed, numRuns },
  );
  const client = sdkClient(mock.url);
  const out = await client.send(new ConverseCommand({ modelId: seedRound1.modelId, ...seedRound1.body } as never));
  client.destroy();
  t.is(out.stopReason, 'tool_use', 'a well-formed request is still answered after the garbage');
});

test.serial('mock robustness › an unmatched request names the closest cassette and is marked as the harness\'s', async (t) => {
  const client = sdkClient(mock.url);
  const body = { ...seedRound1.body, messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WKRP?' }] }] };
  const error = await t.throwsAsync(client.send(new ConverseCommand({ modelId: seedRound1.modelId, ...body } as never)));
  client.destroy();
  t.regex(error!.message, /no cassette matches converse for 'cohere.command-r-v1:0'/);
  t.regex(error!.message, /seed-cohere-top-song-converse\.json interaction 0/);
  t.regex(error!.message, /WKRP/);
  const record = mock.log.records.at(-1)!;
  t.is(record.harnessError, 'no-match');
  const unsigned = await startMock({ cassettes: mock.cassettes, verifySigV4: false });
  const raw = await rawPost(unsigned.url, '/model/cohere.command-r-v1%3A0/converse', JSON.stringify(body));
  await unsigned.close();
  t.is(raw.headers[HARNESS_ERROR_HEADER], 'no-match');
  t.is(raw.headers['x-amzn-errortype'], 'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/');
});
