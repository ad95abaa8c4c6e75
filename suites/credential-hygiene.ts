// Credential hygiene: the client's dummy keys, its signature, its session token and its API key
// never reach the upstream, whatever kind of credential the client used.
import type { Operation } from '../mock-bedrock/wire-constants.ts';
import { clientAuth, clientSecrets } from './client-auth.ts';
import { scanForClientCredentials } from './credential-scan.ts';
import { describeOutcome, describeRecords } from './faulted-call.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import { converseBody, runtimeCassette } from './runtime-cassette.ts';
import { CREDENTIAL_KINDS, type CredentialKind } from './sigv4-case-arbitrary.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'credentials';
const MODEL_ID = 'cohere.command-r-v1:0';
const OPERATIONS_TRIED: Extract<Operation, 'converse' | 'converse-stream'>[] = ['converse', 'converse-stream'];

const KIND_WORDS: Record<CredentialKind, string> = {
  'long-term': 'long-term keys', temporary: 'temporary credentials with a session token', bearer: 'a Bearer API key',
};

/** Sends a Converse and a ConverseStream call with this credential kind and scans what arrived upstream. */
async function hygieneCheck(ctx: SuiteContext, kind: CredentialKind): Promise<CheckVerdict> {
  const auth = clientAuth(ctx, kind);
  if (auth.kind === 'sigv4' && auth.accessKeyId === ctx.upstreamCredentials.accessKeyId) {
    return { status: 'skip', message: "the client's and the upstream's access key ids are the same, so a leak cannot be told apart" };
  }
  const since = ctx.mock.log.lastSeq;
  const outcomes: string[] = [];
  for (const operation of OPERATIONS_TRIED) {
    const prompt = `bedrock-conformance credential hygiene: ${kind} ${operation}`;
    const id = `credentials-${kind}-${operation}`;
    ctx.mock.addCassettes([runtimeCassette({ id, operation, modelId: MODEL_ID, prompt, answer: ['Nothing to see', ' here.'], seed: 11 })]);
    const obs = await ctx.client.call({ operation, modelId: MODEL_ID, body: converseBody(prompt), auth, timeoutMs: 15_000 });
    outcomes.push(`${operation}: client got ${describeOutcome(obs)}`);
  }
  const records = ctx.mock.log.since(since);
  const evidence = [...outcomes, ...describeRecords(records)];
  if (records.length === 0) {
    return { status: 'skip', evidence, message: `no request with ${KIND_WORDS[kind]} reached the mock, so there was nothing to scan` };
  }
  const leaks = scanForClientCredentials(records, clientSecrets(auth));
  if (leaks.length === 0) {
    return { status: 'pass', evidence, message: `client used ${KIND_WORDS[kind]}: none of its credentials or its signature reached the upstream (${records.length} request(s) scanned)` };
  }
  return { status: 'fail', evidence: [...leaks, ...evidence], message: `client used ${KIND_WORDS[kind]}: the upstream received ${leaks[0]}${leaks.length > 1 ? ` (and ${leaks.length - 1} more)` : ''}` };
}

/** The credential-hygiene suite: one check per client credential kind. */
export const credentialHygieneSuite: Suite = {
  id: SUITE,
  title: "Credential hygiene: the client's credentials never reach the upstream",
  run: (ctx) => inSequence(CREDENTIAL_KINDS, (kind) => guardedCheck(ctx, SUITE, `${SUITE}/${kind}`, () => hygieneCheck(ctx, kind))),
};
