// Which recorded streams the chunking checks cut up: the real envoy capture, a stream full of
// multi-byte UTF-8, and a generated one when the cassettes hold no such stream.
import type { Cassette, CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import { STREAMING_OPERATIONS } from '../mock-bedrock/wire-constants.ts';
import type { CallSpec } from './client-driver.ts';
import type { FaultTarget } from './faulted-call.ts';
import { runtimeCassette } from './runtime-cassette.ts';
import { cutSitesByKind } from './split-plan-arbitrary.ts';
import type { SuiteContext } from './suite.ts';

/** One stream to cut: where the mock keeps it, its exact frames, and the call that gets it. */
export interface ChunkingTarget extends FaultTarget {
  /** Why this stream was picked, for messages. */
  label: string;
  frames: Uint8Array[];
  spec: CallSpec;
}

/** Id of the stream the suite generates when no cassette carries multi-byte UTF-8. */
export const GENERATED_UTF8_ID = 'chunking-generated-utf8';

/**
 * How long one split replay may take. A 1-byte drip of the long multi-byte cassette is ~28,000
 * writes; on a loaded CI machine that can take several seconds, and a timeout would hide the bug.
 */
const CHUNKED_CALL_TIMEOUT_MS = 20_000;

function streamTarget(cassette: Cassette, label: string): ChunkingTarget | undefined {
  const index = cassette.interactions.findIndex((i: CassetteInteraction) =>
    i.response.status === 200 && (i.response.events?.length ?? 0) > 0 && STREAMING_OPERATIONS.includes(i.request.operation));
  if (index < 0) return undefined;
  const { request, response } = cassette.interactions[index]!;
  return {
    cassetteId: cassette.id, interaction: index, label,
    frames: response.events!.map(eventToFrame),
    spec: { operation: request.operation, modelId: request.modelId, body: request.body, timeoutMs: CHUNKED_CALL_TIMEOUT_MS },
  };
}

const utf8Sites = (t: ChunkingTarget) => cutSitesByKind(t.frames).get('utf8')!.length;

/** A WIRE-exact stream mixing 2-, 3- and 4-byte characters; fixed content, so serving it twice is harmless. */
function generatedUtf8(): Cassette {
  return runtimeCassette({
    id: GENERATED_UTF8_ID, operation: 'converse-stream', modelId: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', seed: 7,
    prompt: 'bedrock-conformance chunking: greet the world in several scripts',
    answer: ['Grüße, ', 'señor — ', '世界你好', '，こんにちは ', '🙂🚀🌍', ' Ελληνικά', ' नमस्ते', ' 👩‍👩‍👧 ', 'ÆØÅ', ' 한국어.'],
  });
}

/**
 * The streams to cut, first the main one: the envoy capture (else any recorded stream), then the
 * stream with the most cuts inside multi-byte characters (generated and served if none has any).
 */
export function chunkingTargets(ctx: Pick<SuiteContext, 'cassettes' | 'mock'>): ChunkingTarget[] {
  const real = ctx.cassettes.filter((c) => c.source.origin !== 'synthetic');
  const envoy = real.filter((c) => /envoy/i.test(`${c.id} ${c.source.from}`))
    .map((c) => streamTarget(c, `the real envoy capture (cassette ${c.id})`)).find((t) => t !== undefined);
  const main = envoy ?? real.map((c) => streamTarget(c, `recorded stream ${c.id}`)).find((t) => t !== undefined);
  const withUtf8 = ctx.cassettes
    .filter((c) => c.id !== main?.cassetteId)
    .map((c) => streamTarget(c, `multi-byte UTF-8 stream ${c.id}`))
    .filter((t): t is ChunkingTarget => t !== undefined && utf8Sites(t) > 0)
    .sort((a, b) => utf8Sites(b) - utf8Sites(a));
  let utf8: ChunkingTarget | undefined = withUtf8[0];
  if (!utf8 && !(main && utf8Sites(main) > 0)) {
    const cassette = generatedUtf8();
    ctx.mock.addCassettes([cassette]);
    utf8 = streamTarget(cassette, 'a generated multi-byte UTF-8 stream (no cassette carries one)');
  }
  return [main, utf8].filter((t): t is ChunkingTarget => t !== undefined);
}
