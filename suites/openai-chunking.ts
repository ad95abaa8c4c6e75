// Chunking through a translating gateway: however the mock cuts the event stream into writes, the
// OpenAI client must assemble the same message (text, tool calls, finish reason) as unsplit.
import { conversationOf } from '../mock-bedrock/conversation-key.ts';
import type { SplitPlan } from '../mock-bedrock/fault-plan.ts';
import type { ChatDriver, ChatRequest } from './chat-driver.ts';
import { chatNotServed, chatWithFault } from './chat-faulted-call.ts';
import { assembledDifference, describeChatOutcome } from './chat-outcome.ts';
import { chatSuite } from './chat-suite.ts';
import { chunkingTargets, type ChunkingTarget } from './chunking-targets.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import { chatRequestFor } from './openai-request.ts';
import { converseBody } from './runtime-cassette.ts';
import { fixedSplitsCheck, lengthPrefixPlans, splitFault, splitPropertyCheck, type SplitProbe } from './split-checks.ts';
import type { SuiteContext } from './suite.ts';

const SUITE = 'openai-chunking';
/** A 1-byte drip of a long stream is thousands of writes; a timeout would hide the real bug. */
const CHUNKED_CALL_TIMEOUT_MS = 20_000;

/** Model id for a raw capture whose request was never recorded (its id is a placeholder). */
const CAPTURE_MODEL_ID = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

/**
 * The target as a chat client can ask for it. A raw capture holds no request, and an empty message
 * list is no valid chat request, so its stream is served again under a prompt made for it.
 */
function askable(ctx: SuiteContext, t: ChunkingTarget): ChunkingTarget {
  if (conversationOf(t.spec.body).length > 0) return t;
  const recorded = ctx.cassettes.find((c) => c.id === t.cassetteId)!.interactions[t.interaction]!;
  const modelId = t.spec.modelId.startsWith('unrecorded.') ? CAPTURE_MODEL_ID : t.spec.modelId;
  const body = converseBody(`bedrock-conformance openai-chunking: replay ${t.cassetteId}`);
  const id = `openai-chunking-${t.cassetteId}`;
  ctx.mock.addCassettes([{
    version: 1, id, description: `${t.cassetteId}'s stream, asked for with a prompt (the capture holds no request)`,
    source: { origin: 'synthetic', from: 'suites/openai-chunking.ts (generated during the run)' },
    interactions: [{ request: { operation: 'converse-stream', modelId, body }, response: recorded.response }],
  }]);
  return { ...t, cassetteId: id, interaction: 0, spec: { ...t.spec, modelId, body } };
}

/** The probe for one target: the unsplit stream's message is the yardstick. */
async function probeFor(ctx: SuiteContext, chat: ChatDriver, t: ChunkingTarget): Promise<{ ok: true; probe: SplitProbe } | { ok: false; reason: string }> {
  const request: ChatRequest = { ...chatRequestFor(t.spec.modelId, t.spec.body, true), timeoutMs: CHUNKED_CALL_TIMEOUT_MS };
  const call = async (split: SplitPlan) => {
    const plan = splitFault(split);
    const c = await chatWithFault(ctx, chat, t, plan, request);
    return { c, problem: chatNotServed(c, t, plan) };
  };
  const base = await call({ kind: 'frames' });
  if (base.problem) return { ok: false, reason: base.problem };
  if (base.c.obs.error || !base.c.obs.message) return { ok: false, reason: `the unsplit stream already fails: ${describeChatOutcome(base.c.obs)}` };
  const want = base.c.obs.message;
  return {
    ok: true,
    probe: {
      intact: `the same assistant message as the unsplit stream (${[...want.content].length} characters, ${want.toolCalls.length} tool call(s))`,
      async problemOf(split) {
        const { c, problem } = await call(split);
        if (problem) return problem;
        if (c.obs.error) return `the client got ${describeChatOutcome(c.obs)}`;
        if (!c.obs.message) return `the client got no message: ${describeChatOutcome(c.obs)}`;
        const difference = assembledDifference(want, c.obs.message);
        if (difference) return `the client's message differs from the unsplit stream: ${difference}`;
        return c.obs.sawDone ? undefined : 'the stream ended without data: [DONE]';
      },
    },
  };
}

/** A split-plan property per Converse stream, plus a 1-byte drip and cuts inside the length prefix. */
export const openAiChunkingSuite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: any split of the Bedrock event stream reaches the client intact',
  async run(ctx, chat) {
    const targets = chunkingTargets(ctx).filter((t) => t.spec.operation === 'converse-stream');
    if (targets.length === 0) return [await guardedCheck(ctx, SUITE, `${SUITE}/split-plans`, async () => ({ status: 'skip', message: 'no Converse stream cassette to cut up' }))];
    const results = [];
    for (const [i, recorded] of targets.entries()) {
      const t = askable(ctx, recorded);
      const prepared = probeFor(ctx, chat, t);
      const judged = (body: (probe: SplitProbe) => Promise<CheckVerdict>) => async (): Promise<CheckVerdict> => {
        const p = await prepared;
        return p.ok ? body(p.probe) : { status: 'fail', message: `cannot judge splits of ${t.label}: ${p.reason}` };
      };
      const checks: Array<[string, () => Promise<CheckVerdict>]> = [[`${SUITE}/split-plans/${recorded.cassetteId}`, judged((p) => splitPropertyCheck(ctx, t, p))]];
      if (i === 0) {
        checks.push([`${SUITE}/one-byte-drip`, judged((p) => fixedSplitsCheck(t, p, 'one byte per write', [{ kind: 'drip', size: 1 }]))]);
        checks.push([`${SUITE}/length-prefix-cuts`, judged((p) => fixedSplitsCheck(t, p, 'cuts inside the length prefix of frames 0-2', lengthPrefixPlans(t)))]);
      }
      results.push(...(await inSequence(checks, ([id, body]) => guardedCheck(ctx, SUITE, id, body))));
    }
    return results;
  },
});
