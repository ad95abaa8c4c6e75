// Two-round tool-use flows through a gateway that translates OpenAI chat completions into Converse:
// every Converse tool-use cassette, streamed (SSE) or not, as an OpenAI client sends it.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { runChatToolFlow, isChatFlow } from './openai-tool-use-flow.ts';
import { twoRoundToolCassettes } from './recorded-response.ts';
import { chatSuite } from './chat-suite.ts';

const SUITE = 'openai-tool-use-flows';

/** Tool calls in, `tool` messages back, the recorded final answer out. */
export const openAiToolUseFlowsSuite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: two-round tool-use flows',
  async run(ctx, chat) {
    const flows = twoRoundToolCassettes(ctx.cassettes).filter(isChatFlow);
    if (flows.length === 0) {
      return [await guardedCheck(ctx, SUITE, `${SUITE}/none`, async () => ({ status: 'skip', message: 'no Converse two-round tool-use cassette is loaded' }))];
    }
    return inSequence(flows, (cassette: Cassette & { file?: string }) => guardedCheck(ctx, SUITE, `${SUITE}/${cassette.id}`, async () => {
      const flow = await runChatToolFlow({ mock: ctx.mock, chat }, cassette);
      const first = cassette.interactions[0]!.request;
      const how = first.operation === 'converse-stream' ? 'stream: true (SSE)' : 'stream: false';
      return {
        status: flow.ok ? 'pass' : 'fail',
        message: flow.message,
        evidence: [`chat completions, ${how}, model '${first.modelId}' → ${first.operation} (${cassette.file ?? cassette.id})`, ...flow.evidence],
      };
    }));
  },
});
