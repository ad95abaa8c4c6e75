// Suite 2: two toolUse blocks in one turn; the client sends both results back in one user message.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import type { CheckResult } from '../reports/results.ts';
import { toolCalls } from './assistant-turn.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { recordBody } from './mock-records.ts';
import { recordedToolCallCount, twoRoundToolCassettes } from './recorded-response.ts';
import type { Suite, SuiteContext } from './suite.ts';
import { serveCassettes, syntheticToolFlow } from './synthetic-flow.ts';
import { recordedToolResults, TOOL_TABLE } from './tool-results.ts';
import { runToolUseFlow } from './tool-use-flow.ts';

const SUITE = 'parallel-tool-use';

/** The seed's tool asked twice at once: WZPZ answers, WKRP is an error result (status 'error'). */
export function parallelSeedCassette(): Cassette {
  const call = (sign: string) => ({ name: 'top_song', input: { sign }, outcome: TOOL_TABLE.top_song!({ sign }) });
  return syntheticToolFlow({
    id: 'synthetic-parallel-top-song-converse-stream', operation: 'converse-stream', seed: 9101,
    prompt: 'What are the most popular songs on WZPZ and on WKRP?',
    preamble: 'I will look up both stations at once.',
    calls: [call('WZPZ'), call('WKRP')],
    answer: 'WZPZ plays Elemental Hotel by 8 Storey Hike most; WKRP could not be found.',
  });
}

/** One check: the flow passes, the client rebuilt every tool call, and the mock got every result. */
export function parallelCheck(ctx: SuiteContext, cassette: Cassette): Promise<CheckResult> {
  return guardedCheck(ctx, SUITE, `${SUITE}/${cassette.id}`, async () => {
    const flow = await runToolUseFlow(ctx, cassette);
    const calls = flow.turn ? toolCalls(flow.turn) : [];
    const evidence = [`${cassette.interactions[0]!.request.operation} '${cassette.interactions[0]!.request.modelId}'`, ...flow.evidence];
    if (!flow.ok) return { status: 'fail', message: flow.message, evidence };
    const expected = recordedToolCallCount(cassette);
    if (calls.length !== expected) {
      return { status: 'fail', message: `the client rebuilt ${calls.length} tool call(s) from round 1; the recording has ${expected}`, evidence };
    }
    const forwarded = recordedToolResults(flow.round2Record ? recordBody(flow.round2Record) : undefined);
    const missing = calls.filter((c) => !forwarded.has(c.id));
    if (missing.length) {
      return { status: 'fail', message: `the gateway forwarded ${calls.length - missing.length} of ${calls.length} tool results (missing ${missing.map((c) => c.id).join(', ')})`, evidence };
    }
    return { status: 'pass', message: `${calls.length} tool calls in one turn, ${calls.length} results sent back in one message; ${flow.message}`, evidence };
  });
}

/** Parallel tool use: every recorded multi-call flow, plus the seed tool asked twice in one turn. */
export const parallelToolUseSuite: Suite = {
  id: SUITE,
  title: 'Parallel tool use',
  async run(ctx) {
    const synthetic = parallelSeedCassette();
    const served = serveCassettes(ctx.mock, [synthetic]);
    const recorded = twoRoundToolCassettes(ctx.cassettes).filter((c) => recordedToolCallCount(c) >= 2);
    const results = await inSequence(recorded, (cassette) => parallelCheck(ctx, cassette));
    if (served.ok) results.push(await parallelCheck(ctx, synthetic));
    else results.push(await guardedCheck(ctx, SUITE, `${SUITE}/${synthetic.id}`, async () => ({ status: 'fail', message: served.reason })));
    return results;
  },
};
