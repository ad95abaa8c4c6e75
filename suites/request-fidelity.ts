// Suite 10: what the gateway forwarded equals what the client sent, as JSON (key order ignored):
// toolConfig, toolResult blocks, inference settings, additional model fields, system prompts.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import type { CheckResult } from '../reports/results.ts';
import type { CallSpec } from './client-driver.ts';
import { describeOutcome } from './faulted-call.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { describeJsonDifference, firstJsonDifference } from './json-diff.ts';
import { preferring, recordBody } from './mock-records.ts';
import type { Suite, SuiteContext } from './suite.ts';
import { serveCassettes, syntheticToolFlow } from './synthetic-flow.ts';

const SUITE = 'request-fidelity';

/** One request to send, named for its check id. */
export interface FidelityRequest {
  name: string;
  cassetteId: string;
  spec: CallSpec;
}

/** Every distinct recorded request with a body (round 2 requests carry the toolResult blocks). */
export function recordedRequests(cassettes: readonly Cassette[]): FidelityRequest[] {
  const seen = new Set<string>();
  return cassettes.flatMap((c) => c.interactions.flatMap((interaction, i) => {
    const { operation, modelId, body } = interaction.request;
    const key = JSON.stringify([operation, modelId, body]);
    if (body == null || seen.has(key)) return [];
    seen.add(key);
    return [{ name: `${c.id}/round-${i + 1}`, cassetteId: c.id, spec: { operation, modelId, body } }];
  }));
}

/** Round-2 requests with every field a gateway might mangle: system, inference settings, extra fields, tool choice, error results, unicode. */
export function richCassettes(): Cassette[] {
  const calls = [
    { name: 'top_song', input: { sign: 'WZPZ' }, outcome: { ok: true as const, json: { song: 'Elemental Hotel', artist: '8 Storey Hike', plays: 1024, tags: ['indie', 'café'] } } },
    { name: 'top_song', input: { sign: 'WKRP' }, outcome: { ok: false as const, error: 'Station WKRP not found.' } },
  ];
  const common = { seed: 9301, prompt: 'Quels sont les titres les plus écoutés sur WZPZ et WKRP ? 🎵', preamble: 'Je vérifie les deux stations.', calls, answer: 'WZPZ : Elemental Hotel ; WKRP est introuvable.' };
  return [
    syntheticToolFlow({
      ...common, id: 'synthetic-rich-request-converse-stream', operation: 'converse-stream', toolChoice: { auto: {} },
      extra: {
        system: [{ text: 'You are a radio assistant. Answer in the user\'s language.' }],
        inferenceConfig: { maxTokens: 400, temperature: 0.2, topP: 0.9, stopSequences: ['\n\nHuman:'] },
        additionalModelRequestFields: { k: 40, return_likelihoods: 'NONE' },
        additionalModelResponseFieldPaths: ['/stop_sequence'],
      },
    }),
    syntheticToolFlow({
      ...common, id: 'synthetic-rich-request-invoke', operation: 'invoke', seed: 9311,
      extra: { system: 'You are a radio assistant.', temperature: 0.2, top_k: 40, stop_sequences: ['\n\nHuman:'], tool_choice: { type: 'auto' } },
    }),
  ];
}

/** One check: send `request`, find it in the mock's log, compare bodies and model ids. */
export function requestFidelityCheck(ctx: SuiteContext, request: FidelityRequest): Promise<CheckResult> {
  return guardedCheck(ctx, SUITE, `${SUITE}/${request.name}`, async () => {
    const { spec } = request;
    const since = ctx.mock.log.lastSeq;
    const obs = await preferring(ctx.mock, request.cassetteId, () => ctx.client.call(spec));
    const record = ctx.mock.log.since(since).find((r) => r.operation === spec.operation);
    const evidence = [`${spec.operation} '${spec.modelId}': client saw ${describeOutcome(obs)}`];
    if (!record) return { status: 'fail', message: `the request never reached the mock (client saw ${describeOutcome(obs)})`, evidence };
    const sentKeys = Object.keys(spec.body as object).sort().join(', ');
    evidence.push(`sent ${JSON.stringify(spec.body).length} bytes of JSON with ${sentKeys}; the mock received ${record.body.length} bytes`);
    if (record.modelId !== spec.modelId) return { status: 'fail', message: `the gateway forwarded model id '${record.modelId}', the client sent '${spec.modelId}'`, evidence };
    const forwarded = recordBody(record);
    if (forwarded === undefined) return { status: 'fail', message: `the forwarded body is not JSON: ${JSON.stringify(Buffer.from(record.body).toString('utf8').slice(0, 120))}`, evidence };
    const difference = firstJsonDifference(spec.body, forwarded);
    if (difference) return { status: 'fail', message: `the forwarded body differs ${describeJsonDifference(difference)}`, evidence };
    return { status: 'pass', message: `the forwarded body equals the sent one (${sentKeys})`, evidence };
  });
}

/** Request fidelity over every recorded request plus the rich run-time ones. */
export const requestFidelitySuite: Suite = {
  id: SUITE,
  title: 'Request fidelity',
  async run(ctx) {
    const rich = richCassettes();
    const served = serveCassettes(ctx.mock, rich);
    const requests = [...recordedRequests(ctx.cassettes), ...recordedRequests(rich)];
    const results = await inSequence(requests, (request) => requestFidelityCheck(ctx, request));
    if (!served.ok) results.push(await guardedCheck(ctx, SUITE, `${SUITE}/run-time-cassettes`, async () => ({ status: 'fail', message: served.reason })));
    return results;
  },
};
