// Suite 1: every two-round tool-use cassette (the seed flow first), streaming and not, every family.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import type { CheckResult } from '../reports/results.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { twoRoundToolCassettes } from './recorded-response.ts';
import type { Suite, SuiteContext } from './suite.ts';
import { runToolUseFlow } from './tool-use-flow.ts';

const SUITE = 'tool-use-flows';

/** One check: the flow recorded in `cassette`, judged on which interaction answered and the final text. */
export function toolUseFlowCheck(ctx: SuiteContext, cassette: Cassette & { file?: string }): Promise<CheckResult> {
  return guardedCheck(ctx, SUITE, `${SUITE}/${cassette.id}`, async () => {
    const flow = await runToolUseFlow(ctx, cassette);
    const first = cassette.interactions[0]!.request;
    return {
      status: flow.ok ? 'pass' : 'fail',
      message: flow.message,
      evidence: [`${first.operation} '${first.modelId}' (${cassette.file ?? cassette.id})`, ...flow.evidence],
    };
  });
}

/** Two-round tool-use flows: the client reassembles the call, runs the tool and gets the recorded answer. */
export const toolUseFlowsSuite: Suite = {
  id: SUITE,
  title: 'Two-round tool-use flows',
  async run(ctx) {
    const flows = twoRoundToolCassettes(ctx.cassettes);
    if (flows.length === 0) {
      return [await guardedCheck(ctx, SUITE, `${SUITE}/none`, async () => ({
        status: 'skip', message: 'no two-round tool-use cassette is loaded',
      }))];
    }
    return inSequence(flows, (cassette) => toolUseFlowCheck(ctx, cassette));
  },
};
