// Many two-round chat flows at once through a translating gateway, each with its own prompt, tool
// result and answer: every client must get its own answer and none may get another's.
import { chatSuite } from './chat-suite.ts';
import { concurrentFlow } from './concurrency.ts';
import { guardedCheck } from './guarded-check.ts';
import { runChatToolFlow } from './openai-tool-use-flow.ts';
import { serveCassettes } from './synthetic-flow.ts';

const SUITE = 'openai-concurrency';
const COUNT = 24;

/** 24 simultaneous flows, half streamed (SSE), half not. */
export const openAiConcurrencySuite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: concurrent two-round flows',
  run: async (ctx, chat) => [await guardedCheck(ctx, SUITE, `${SUITE}/two-round-flows`, async () => {
    const flows = Array.from({ length: COUNT }, (_, i) => concurrentFlow(ctx.seed, i, ['converse-stream', 'converse']));
    const served = serveCassettes(ctx.mock, flows);
    if (!served.ok) return { status: 'fail', message: served.reason };
    const started = performance.now();
    const outcomes = await Promise.all(flows.map((flow) => runChatToolFlow({ mock: ctx.mock, chat }, flow)));
    const took = Math.round(performance.now() - started);
    const failures = outcomes.flatMap((o, i) => (o.ok ? [] : [`flow ${i} (${flows[i]!.interactions[0]!.request.operation}): ${o.message}`]));
    const evidence = [`${COUNT} flows at once (${COUNT / 2} streamed, ${COUNT / 2} not), ${took} ms in all`, ...failures.slice(0, 10)];
    if (failures.length > 10) evidence.push(`… and ${failures.length - 10} more failed flows`);
    if (failures.length === 0) return { status: 'pass', message: `${COUNT} simultaneous two-round chat flows each got their own answer (${took} ms)`, evidence };
    return { status: 'fail', message: `${failures.length} of ${COUNT} simultaneous flows failed: ${failures[0]}`, evidence };
  })],
});
