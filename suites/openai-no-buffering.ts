// No buffering through a translating gateway: with pauses between upstream frames, the first SSE
// chunk must reach the client before the mock has sent the last frame.
import type { TimelinePoint } from '../reports/results.ts';
import { describeChatOutcome } from './chat-outcome.ts';
import { chatSuite } from './chat-suite.ts';
import { guardedCheck } from './guarded-check.ts';
import { answeredBy, preferring, settled } from './mock-records.ts';
import { FRAME_DELAY_MS, pacingPlan, servePacingTarget } from './no-buffering.ts';
import { chatRequestFor } from './openai-request.ts';

const SUITE = 'openai-no-buffering';
const ms = (n: number) => `${Math.round(n)} ms`;

/** Time to first chunk against the mock's writes of a paced Converse stream. */
export const openAiNoBufferingSuite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: no buffering (time to first chunk)',
  run: async (ctx, chat) => [await guardedCheck(ctx, SUITE, `${SUITE}/converse-stream`, async () => {
    const served = servePacingTarget(ctx, 'converse-stream');
    if (!served.ok) return { status: 'fail', message: served.reason };
    const { cassette, index } = served;
    const { request, response } = cassette.interactions[index]!;
    const frames = response.events!.length;
    const plan = pacingPlan(frames);
    const evidence = [`chat completions (stream: true) → converse-stream '${request.modelId}' from ${cassette.id} (${frames} frames), ${FRAME_DELAY_MS} ms pauses before frames ${plan.delays!.map((d) => d.frame).join(', ')}`];
    const since = ctx.mock.log.lastSeq;
    const remove = ctx.mock.faults.add({ cassetteId: cassette.id, interaction: index, plan, times: 1 });
    const obs = await preferring(ctx.mock, cassette.id, () => chat.chat(chatRequestFor(request.modelId, request.body, true))).finally(remove);
    const found = answeredBy(ctx.mock.log, since, cassette.id, index);
    evidence.push(`client: ${describeChatOutcome(obs)}`);
    if (!found) return { status: 'fail', message: `the mock did not serve the paced stream (client saw ${describeChatOutcome(obs)})`, evidence };
    const record = await settled(ctx.mock.log, found);
    const timeline: TimelinePoint[] = [
      ...record.writes.map((w) => ({ at: w.t - obs.sentAt, side: 'sent' as const, label: `frame ${w.framesDone - 1}` })),
      ...obs.chunks.map((c, i) => ({ at: c.t - obs.sentAt, side: 'received' as const, label: `SSE chunk ${i}` })),
    ].map((p) => ({ ...p, at: Math.round(p.at * 10) / 10 })).sort((a, b) => a.at - b.at);
    const firstWrite = record.writes.find((w) => w.framesDone >= 1)?.t;
    const lastWrite = record.writes.find((w) => w.framesDone >= frames)?.t;
    const firstChunk = obs.chunks[0]?.t;
    if (firstWrite === undefined || lastWrite === undefined) return { status: 'fail', message: `the mock could not send the whole stream (${record.outcome})`, evidence, timeline };
    if (firstChunk === undefined) return { status: 'fail', message: `the client received no chunk (${describeChatOutcome(obs)})`, evidence, timeline };
    evidence.push(`mock sent frame 0 at ${ms(firstWrite - obs.sentAt)} and the last frame at ${ms(lastWrite - obs.sentAt)}; the client saw its first chunk at ${ms(firstChunk - obs.sentAt)}`);
    if (firstChunk >= lastWrite) {
      return { status: 'fail', message: `the client saw its first chunk ${ms(firstChunk - lastWrite)} after the mock sent the last frame: the gateway buffered the stream`, evidence, timeline };
    }
    return { status: 'pass', message: `first chunk arrived ${ms(lastWrite - firstChunk)} before the last frame was sent; the gateway added ${ms(firstChunk - firstWrite)} to the first chunk`, evidence, timeline };
  })],
});
