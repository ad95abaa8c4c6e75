// The chunking, SigV4, credential, error and broken-upstream suites against the real mock: a correct
// gateway passes every check, and each gateway bug fails the check meant for it, with a clear message.
import test from 'ava';
import { brokenUpstreamSuite, makeBrokenUpstreamSuite } from '../suites/broken-upstream.ts';
import { chunkingPropertySuite } from '../suites/chunking-property.ts';
import { DUMMY_SESSION_TOKEN } from '../suites/client-auth.ts';
import { credentialHygieneSuite } from '../suites/credential-hygiene.ts';
import { errorsSuite } from '../suites/errors.ts';
import { sigv4ResigningSuite } from '../suites/sigv4-resigning.ts';
import type { CheckResult } from '../reports/results.ts';
import { CLIENT_CREDENTIALS, SEED, runSuite, summary } from './support/suite-context.ts';

const statuses = (results: readonly CheckResult[]) => [...new Set(results.map((r) => r.status))];
const only = (results: readonly CheckResult[], prefix: string) => results.filter((r) => r.id.startsWith(prefix));

test('chunking › any split of the envoy capture and of a UTF-8 stream reaches the client intact', async (t) => {
  t.log(`seed=${SEED}`);
  const run = await runSuite(chunkingPropertySuite);
  t.log(summary(run.results));
  t.deepEqual(statuses(run.results), ['pass']);
  t.deepEqual(run.results.map((r) => r.id), [
    'chunking/split-plans/envoy-ai-gateway-claude-converse-stream-tool-use', 'chunking/one-byte-drip', 'chunking/length-prefix-cuts',
    'chunking/split-plans/claude-multibyte-long-text-converse-stream',
  ]);
  t.deepEqual(run.reported, run.results);
});

test('chunking › a gateway that drops a partial length prefix fails with the minimal plan in words', async (t) => {
  t.log(`seed=${SEED}`);
  const run = await runSuite(chunkingPropertySuite, { flaws: ['length-prefix-bug'], runs: 30 });
  t.log(summary(run.results));
  const prefix = run.byId('chunking/length-prefix-cuts');
  t.is(prefix.status, 'fail');
  t.regex(prefix.message, /fails when the stream is sent as writes split by cut at stream byte \d+, after byte [123] of frame [012]'s 4-byte length prefix/);
  const property = run.byId('chunking/split-plans/envoy-ai-gateway-claude-converse-stream-tool-use');
  t.is(property.status, 'fail');
  const ce = property.counterexample!;
  t.log(ce.words);
  t.is(ce.seed, SEED);
  t.truthy(ce.path);
  t.regex(ce.words, /^fails when the stream is sent as /);
  const plan = ce.value as { kind: string; offsets?: number[] };
  if (plan.kind === 'offsets') {
    t.is(plan.offsets!.length, 1, 'shrinks to a single cut');
    t.regex(ce.words, /4-byte length prefix/);
  }
  t.is(run.byId('chunking/one-byte-drip').status, 'fail');
});

test('sigv4 › correct re-signing verifies for every model id form, body and credential kind', async (t) => {
  t.log(`seed=${SEED}`);
  const run = await runSuite(sigv4ResigningSuite);
  t.log(summary(run.results));
  t.deepEqual(run.results.map((r) => [r.id, r.status]), [['sigv4/re-signing', 'pass'], ['sigv4/host-with-port', 'pass']]);
});

test('sigv4 › a gateway that signs the decoded path fails with the model id and the mock diagnosis', async (t) => {
  t.log(`seed=${SEED}`);
  const run = await runSuite(sigv4ResigningSuite, { flaws: ['single-encoded-path'] });
  t.log(summary(run.results));
  const check = run.byId('sigv4/re-signing');
  t.is(check.status, 'fail');
  t.log(check.counterexample?.words);
  t.regex(check.counterexample!.words, /^fails for converse(-stream)? on model id '[^']*:[^']*'/);
  t.regex(check.counterexample!.words, /path encoding: the gateway signed the path singly-encoded/);
  t.true(check.evidence!.some((e) => e.includes('The Canonical String for this request should have been')));
});

test('sigv4 › a host signed without its port is accepted in lenient mode and reported as its own finding', async (t) => {
  const run = await runSuite(sigv4ResigningSuite, { flaws: ['host-without-port'], mock: { acceptHostWithoutPort: true }, runs: 3 });
  t.log(summary(run.results));
  t.is(run.byId('sigv4/re-signing').status, 'pass');
  const host = run.byId('sigv4/host-with-port');
  t.is(host.status, 'fail');
  t.regex(host.message, /signs the host header without its port/);
  t.regex(host.evidence![0]!, /host signed without port \d+/);
});

test("credentials › a re-signing gateway leaks none of the client's credentials, whatever their kind", async (t) => {
  const run = await runSuite(credentialHygieneSuite);
  t.log(summary(run.results));
  t.deepEqual(run.results.map((r) => [r.id, r.status]), [['credentials/long-term', 'pass'], ['credentials/temporary', 'pass'], ['credentials/bearer', 'pass']]);
});

test("credentials › forwarding the client's session token fails the temporary check without printing the token", async (t) => {
  const run = await runSuite(credentialHygieneSuite, { flaws: ['forward-session-token'] });
  t.log(summary(run.results));
  const temporary = run.byId('credentials/temporary');
  t.is(temporary.status, 'fail');
  t.regex(temporary.message, /the client's session token in header x-amz-security-token/);
  t.false(JSON.stringify(temporary).includes(DUMMY_SESSION_TOKEN));
  t.is(run.byId('credentials/long-term').status, 'pass');
});

test("credentials › a gateway that forwards the client's Authorization fails every kind, naming what leaked", async (t) => {
  const run = await runSuite(credentialHygieneSuite, { flaws: ['no-resign'] });
  t.log(summary(run.results));
  t.deepEqual(statuses(run.results), ['fail']);
  t.regex(run.byId('credentials/long-term').message, /the client's access key id in header authorization/);
  t.regex(run.byId('credentials/bearer').message, /the client's Bearer API key in header authorization/);
  t.false(JSON.stringify(run.results).includes(CLIENT_CREDENTIALS.accessKeyId));
});

test('errors › every HTTP error type and mid-stream exception reaches the client as itself', async (t) => {
  const run = await runSuite(errorsSuite);
  t.log(summary(run.results));
  t.deepEqual(statuses(run.results), ['pass']);
  t.is(only(run.results, 'errors/http/').length, 10);
  t.is(only(run.results, 'errors/stream/').length, 10);
});

test('errors › a gateway that swallows exception frames fails every mid-stream check and no HTTP one', async (t) => {
  const run = await runSuite(errorsSuite, { flaws: ['swallow-exceptions'] });
  t.log(summary(run.results));
  t.deepEqual(statuses(only(run.results, 'errors/http/')), ['pass']);
  const stream = only(run.results, 'errors/stream/');
  t.deepEqual(statuses(stream), ['fail']);
  t.regex(run.byId('errors/stream/throttlingException/after-events').message, /the throttlingException frame after 3 events was lost: the client saw clean end after 3 event\(s\)/);
});

test('broken-upstream › truncation, resets and bad CRCs reach the client as errors within the bound', async (t) => {
  const run = await runSuite(makeBrokenUpstreamSuite(10_000));
  t.log(summary(run.results));
  t.deepEqual(statuses(run.results), ['pass']);
  t.is(run.results.length, 5);
});

test('broken-upstream › a gateway that ends cleanly and drops bad frames fails every check as a hidden failure', async (t) => {
  const run = await runSuite(makeBrokenUpstreamSuite(10_000), { flaws: ['end-cleanly', 'drop-bad-frames'] });
  t.log(summary(run.results));
  t.deepEqual(statuses(run.results), ['fail']);
  for (const r of run.results) t.regex(r.message, /but the client saw a clean end after \d+ event\(s\): the failure was hidden/);
});

test('broken-upstream › a gateway that hangs when the upstream resets fails as a hang at the bound', async (t) => {
  const run = await runSuite(makeBrokenUpstreamSuite(1_500), { flaws: ['hang-on-upstream-error'] });
  t.log(summary(run.results));
  t.is(run.byId('broken-upstream/reset-mid-frame').status, 'fail');
  t.regex(run.byId('broken-upstream/reset-mid-frame').message, /the client hung: nothing ended the call within 1500 ms/);
  t.is(run.byId('broken-upstream/reset-between-frames').status, 'fail');
  t.is(run.byId('broken-upstream/truncated-mid-frame').status, 'pass');
});

test('suites › chunking, errors and broken-upstream pass with the SDK straight at the mock', async (t) => {
  for (const suite of [chunkingPropertySuite, errorsSuite, makeBrokenUpstreamSuite(10_000)]) {
    const run = await runSuite(suite, { direct: true, runs: 10 });
    t.deepEqual(statuses(run.results), ['pass'], summary(run.results));
  }
});

test('suites › all five pass through the built-in reference gateway', async (t) => {
  t.log(`seed=${SEED}`);
  for (const suite of [chunkingPropertySuite, sigv4ResigningSuite, credentialHygieneSuite, errorsSuite, brokenUpstreamSuite]) {
    const run = await runSuite(suite, { reference: [] });
    t.deepEqual(statuses(run.results), ['pass'], summary(run.results));
  }
});

test("chunking › the reference gateway's rechunk-utf8 flaw fails on a cut inside a multi-byte character", async (t) => {
  t.log(`seed=${SEED}`);
  const run = await runSuite(chunkingPropertySuite, { reference: ['rechunk-utf8'], runs: 40 });
  t.log(summary(run.results));
  const utf8 = run.byId('chunking/split-plans/claude-multibyte-long-text-converse-stream');
  t.is(utf8.status, 'fail');
  const plan = utf8.counterexample!.value as { kind: string };
  t.log(utf8.counterexample!.words);
  if (plan.kind === 'offsets') {
    t.regex(utf8.counterexample!.words, /inside a multi-byte UTF-8 character: the client's events differ from the unsplit stream/);
    t.regex(utf8.counterexample!.words, /got contentBlockDelta [^\n]*\uFFFD/, 'the client saw replacement characters');
  }
});

test('suites › a client driver that throws becomes failed checks, never a thrown suite', async (t) => {
  const run = await runSuite({
    ...errorsSuite,
    run: (ctx) => errorsSuite.run({ ...ctx, client: { call: () => Promise.reject(new Error('driver exploded')), raw: () => Promise.reject(new Error('no')) } }),
  });
  t.deepEqual(statuses(run.results), ['fail']);
  t.regex(run.results[0]!.message, /the check itself failed unexpectedly \(Error: driver exploded\)/);
  t.is(run.reported.length, run.results.length);
});
