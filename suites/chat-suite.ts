// Suites that speak OpenAI chat completions: they run only when the run has a chat client.
import type { CheckResult } from '../reports/results.ts';
import type { ChatDriver } from './chat-driver.ts';
import { guardedCheck } from './guarded-check.ts';
import type { Suite, SuiteContext } from './suite.ts';

/** A chat suite's definition: like a Suite, with the chat client handed over. */
export interface ChatSuiteSpec {
  id: string;
  title: string;
  run(ctx: SuiteContext, chat: ChatDriver): Promise<CheckResult[]>;
}

/** Wraps a chat suite so that a run without a chat client skips it with a reason. */
export function chatSuite(spec: ChatSuiteSpec): Suite {
  return {
    id: spec.id,
    title: spec.title,
    api: 'openai',
    async run(ctx) {
      if (!ctx.chat) {
        return [await guardedCheck(ctx, spec.id, `${spec.id}/no-chat-client`, async () => ({
          status: 'skip', message: 'this run has no OpenAI-compatible client (use a profile whose gateway speaks chat completions, e.g. --profile portkey)',
        }))];
      }
      return spec.run(ctx, ctx.chat);
    },
  };
}
