// Shared setup for the third-party client tests (Vercel AI SDK, LangChain): the seed flow read
// from its shipped cassette, a mock (and optionally the reference gateway in front of it), and a
// summary of what the mock's log says about each request.
import { join } from 'node:path';
import { readCassetteFile } from '../../mock-bedrock/cassette-load.ts';
import type { LoadedCassette } from '../../mock-bedrock/cassette.ts';
import type { RequestRecord } from '../../mock-bedrock/request-log.ts';
import { startMock, type RunningMock } from '../../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../mock-bedrock/wire-constants.ts';
import { startReferenceGateway } from '../../runner/reference-gateway.ts';
import { REPO_ROOT } from '../shared-paths.ts';

/** The shipped seed cassettes, by whether the client streams. */
export const SEED_CASSETTE_IDS = { stream: 'seed-cohere-top-song-converse-stream', plain: 'seed-cohere-top-song-converse' } as const;

/** What a client needs to drive the seed flow and what it must see, all taken from the cassette. */
export interface SeedFlow {
  cassetteId: string;
  modelId: string;
  question: string;
  tool: { name: string; description: string; inputSchema: Record<string, unknown> };
  /** The model's round-one request for the tool, as parsed input. */
  toolInput: unknown;
  /** What the client's tool returns (the recorded round-two toolResult). */
  toolResult: Record<string, unknown>;
  /** The model's round-two answer. */
  finalText: string;
  /** Per round: the recorded `x-amzn-RequestId` and token usage, which clients surface to users. */
  rounds: { requestId: string; usage: { inputTokens: number; outputTokens: number } }[];
}

type Json = Record<string, any>;

/** The text of an interaction's answer: the converse JSON's text blocks or the stream's text deltas. */
function answerText(cassette: LoadedCassette, index: number): string {
  const { response } = cassette.interactions[index]!;
  if (response.events) return response.events.map((e) => (e.json as Json | undefined)?.delta?.text ?? '').join('');
  const blocks = ((response.json as Json).output.message.content as Json[]);
  return blocks.map((b) => b.text ?? '').join('');
}

/** The recorded request id and token usage of an interaction (from its JSON body or its `metadata` event). */
function roundFacts(cassette: LoadedCassette, index: number): SeedFlow['rounds'][number] {
  const { response } = cassette.interactions[index]!;
  const requestId = response.headers.find(([name]) => name.toLowerCase() === 'x-amzn-requestid')?.[1] ?? '';
  const usage = response.events
    ? (response.events.find((e) => e.headers[':event-type'] === 'metadata')?.json as Json).usage
    : (response.json as Json).usage;
  return { requestId, usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } };
}

/** Reads the seed flow from its shipped cassette file (so nothing a test expects is hard-coded). */
export async function readSeedFlow(kind: keyof typeof SEED_CASSETTE_IDS): Promise<SeedFlow> {
  const read = await readCassetteFile(join(REPO_ROOT, 'cassettes', 'synthetic', `${SEED_CASSETTE_IDS[kind]}.json`));
  if (!read.ok) throw new Error(read.errors.join('\n'));
  const cassette = read.cassette;
  const [one, two] = cassette.interactions.map((i) => i.request.body as Json);
  const spec = one!.toolConfig.tools[0].toolSpec as Json;
  const resultTurn = (two!.messages as Json[]).at(-1)!;
  const toolUse = (two!.messages as Json[])[1]!.content.find((b: Json) => b.toolUse).toolUse as Json;
  return {
    cassetteId: cassette.id,
    modelId: cassette.interactions[0]!.request.modelId,
    question: one!.messages[0].content[0].text,
    tool: { name: spec.name, description: spec.description, inputSchema: spec.inputSchema.json },
    toolInput: toolUse.input,
    toolResult: resultTurn.content[0].toolResult.content[0].json,
    finalText: answerText(cassette, 1),
    rounds: [roundFacts(cassette, 0), roundFacts(cassette, 1)],
  };
}

/** Where a client sends its requests: straight at the mock or through the reference gateway. */
export type ClientRoute = 'mock' | 'gateway';

/** A started mock (every shipped cassette), the URL a client should use and the keys it signs with. */
export interface ClientRig {
  mock: RunningMock;
  url: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  close(): Promise<void>;
}

/** Dummy client keys for the gateway route: the gateway must drop them and re-sign. */
const CLIENT_KEYS = { accessKeyId: 'AKIDCLIENTDUMMY00000', secretAccessKey: 'client-dummy-secret-not-the-mock-one' };

/** Starts the mock with every shipped cassette and, for the gateway route, the reference gateway in front. */
export async function startClientRig(route: ClientRoute): Promise<ClientRig> {
  const mock = await startMock({ port: 0, cassettesDir: join(REPO_ROOT, 'cassettes'), credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION });
  if (route === 'mock') {
    return { mock, url: mock.url, region: DEFAULT_REGION, credentials: { ...DEFAULT_CREDENTIALS }, close: () => mock.close() };
  }
  const gateway = await startReferenceGateway({ upstreamUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION, flaws: [] });
  return {
    mock, url: gateway.url, region: DEFAULT_REGION, credentials: { ...CLIENT_KEYS },
    close: async () => { await gateway.close(); await mock.close(); },
  };
}

/** One logged request as a test compares it: which recorded answer it got and how SigV4 went. */
export interface LoggedMatch {
  cassetteId: string | undefined;
  interaction: number | undefined;
  sigv4: boolean | undefined;
  harnessError: string | undefined;
  status: number | undefined;
}

/** The mock's log, reduced to what the client tests assert. */
export function loggedMatches(records: readonly RequestRecord[]): LoggedMatch[] {
  return records.map((r) => ({ cassetteId: r.cassetteId, interaction: r.interaction, sigv4: r.sigv4?.ok, harnessError: r.harnessError, status: r.status }));
}

/** The log a correct two-round seed flow leaves: interactions 0 then 1, verified, answered 200. */
export function expectedSeedMatches(cassetteId: string): LoggedMatch[] {
  return [0, 1].map((interaction) => ({ cassetteId, interaction, sigv4: true, harnessError: undefined, status: 200 }));
}

/** The access key id the mock saw on each request, to show the gateway re-signed with its own keys. */
export function signingKeyIds(records: readonly RequestRecord[]): (string | undefined)[] {
  return records.map((r) => /Credential=([^/]+)\//.exec(String(r.headers.authorization ?? ''))?.[1]);
}
