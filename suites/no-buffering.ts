// Suite 5: with pauses between upstream frames, the client must get its first event before the mock
// has sent the last frame. Mock and client share the performance.now() clock (same process).
import type { Cassette } from '../mock-bedrock/cassette.ts';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import { describeOutcome } from './faulted-call.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { answeredBy, preferring, settled } from './mock-records.ts';
import { streamTargets, type StreamTarget } from './stream-fidelity.ts';
import { streamTimeline } from './stream-timeline.ts';
import type { Suite, SuiteContext } from './suite.ts';
import { serveCassettes, syntheticToolFlow } from './synthetic-flow.ts';

const SUITE = 'no-buffering';
/** Pause before each delayed frame; long enough that buffering shows, short enough to keep runs fast. */
export const FRAME_DELAY_MS = 150;
const OPERATIONS: Operation[] = ['converse-stream', 'invoke-with-response-stream'];

/** Pauses before frames 1..4 and before the last frame. */
export function pacingPlan(frames: number): FaultPlan {
  const delayed = new Set([1, 2, 3, 4].filter((i) => i < frames - 1));
  delayed.add(frames - 1);
  return { delays: [...delayed].map((frame) => ({ frame, ms: FRAME_DELAY_MS })) };
}

/** The recorded stream to pace for `operation` (the seed flow when present), else a synthetic one. */
export function pacingTarget(cassettes: readonly Cassette[], operation: Operation): StreamTarget | { synthetic: Cassette } {
  const found = streamTargets(cassettes).filter((t) => t.cassette.interactions[t.index]!.request.operation === operation
    && t.cassette.interactions[t.index]!.request.body != null && (t.cassette.interactions[t.index]!.response.events?.length ?? 0) >= 4);
  const target = found.find((t) => t.cassette.id.startsWith('seed')) ?? found[0];
  if (target) return target;
  return { synthetic: syntheticToolFlow({
    id: `synthetic-pacing-${operation}`, operation, seed: 9201, prompt: `Which station plays the most jazz? (${operation})`,
    preamble: 'Let me check the station list for you.', calls: [{ name: 'station_lookup', input: { genre: 'jazz' }, outcome: { ok: true, json: { sign: 'KJZZ' } } }],
    answer: 'KJZZ plays the most jazz.' }) };
}

/** The stream to pace, made servable (a synthetic one is added to the mock first). */
export function servePacingTarget(
  ctx: Pick<SuiteContext, 'cassettes' | 'mock'>, operation: Operation,
): { ok: true; cassette: Cassette; index: number } | { ok: false; reason: string } {
  const picked = pacingTarget(ctx.cassettes, operation);
  if (!('synthetic' in picked)) return { ok: true, cassette: picked.cassette, index: picked.index };
  const served = serveCassettes(ctx.mock, [picked.synthetic]);
  return served.ok ? { ok: true, cassette: picked.synthetic, index: 0 } : served;
}

const ms = (n: number) => `${Math.round(n)} ms`;

/** One check: pace one stream of `operation` and compare the client's first event with the mock's writes. */
export function noBufferingCheck(ctx: SuiteContext, operation: Operation): Promise<CheckResult> {
  return guardedCheck(ctx, SUITE, `${SUITE}/${operation}`, async () => {
    const served = servePacingTarget(ctx, operation);
    if (!served.ok) return { status: 'fail', message: served.reason };
    const { cassette, index } = served;
    const { request, response } = cassette.interactions[index]!;
    const frames = response.events!.length;
    const plan = pacingPlan(frames);
    const evidence = [`${operation} '${request.modelId}' from ${cassette.id} (${frames} frames), ${FRAME_DELAY_MS} ms pauses before frames ${plan.delays!.map((d) => d.frame).join(', ')}`];
    const since = ctx.mock.log.lastSeq;
    const remove = ctx.mock.faults.add({ cassetteId: cassette.id, interaction: index, plan, times: 1 });
    const obs = await preferring(ctx.mock, cassette.id, () => ctx.client.call({ operation, modelId: request.modelId, body: request.body }))
      .finally(remove);
    const found = answeredBy(ctx.mock.log, since, cassette.id, index);
    if (!found) return { status: 'fail', message: `the mock did not serve the paced stream (client saw ${describeOutcome(obs)})`, evidence };
    const record = await settled(ctx.mock.log, found);
    const timeline = streamTimeline(obs, record, response.events!.map((e) => String(e.headers[':event-type'])));
    const firstWrite = record.writes.find((w) => w.framesDone >= 1)?.t;
    const lastWrite = record.writes.find((w) => w.framesDone >= frames)?.t;
    const firstEvent = obs.events[0]?.t;
    evidence.push(`client: ${describeOutcome(obs)}`);
    if (firstWrite === undefined || lastWrite === undefined) return { status: 'fail', message: `the mock could not send the whole stream (${record.outcome})`, evidence, timeline };
    if (firstEvent === undefined) return { status: 'fail', message: `the client received no event (${describeOutcome(obs)})`, evidence, timeline };
    const added = firstEvent - firstWrite;
    evidence.push(`mock sent frame 0 at ${ms(firstWrite - obs.sentAt)} and the last frame at ${ms(lastWrite - obs.sentAt)}; the client saw its first event at ${ms(firstEvent - obs.sentAt)}`);
    evidence.push(`time to first event added by the gateway: ${ms(added)}`);
    if (firstEvent >= lastWrite) {
      return { status: 'fail', message: `the client saw its first event ${ms(firstEvent - lastWrite)} after the mock sent the last frame: the gateway buffered the stream (it added ${ms(added)} to the first event)`, evidence, timeline };
    }
    return { status: 'pass', message: `first event arrived ${ms(lastWrite - firstEvent)} before the last frame was sent; the gateway added ${ms(added)} to the first event`, evidence, timeline };
  });
}

/** No buffering, for both streaming operations. */
export const noBufferingSuite: Suite = {
  id: SUITE,
  title: 'No buffering (time to first event)',
  run: (ctx) => inSequence(OPERATIONS, (operation) => noBufferingCheck(ctx, operation)),
};
