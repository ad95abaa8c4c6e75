// One chat call through a translating gateway with a fault rule set on the mock for exactly that
// call, plus what the mock saw (the chat twin of faulted-call.ts).
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { ChatDriver, ChatObservation, ChatRequest } from './chat-driver.ts';
import { describeChatOutcome } from './chat-outcome.ts';
import { notServedBy, type FaultTarget } from './faulted-call.ts';
import type { SuiteContext } from './suite.ts';

export interface ChatFaultedCall {
  obs: ChatObservation;
  records: RequestRecord[];
}

/** Sends `request` with `plan` applied to `target` (no rule when plan is undefined), then removes the rule. */
export async function chatWithFault(
  ctx: Pick<SuiteContext, 'mock'>, chat: ChatDriver, target: FaultTarget, plan: FaultPlan | undefined, request: ChatRequest,
): Promise<ChatFaultedCall> {
  const since = ctx.mock.log.lastSeq;
  const remove = plan ? ctx.mock.faults.add({ cassetteId: target.cassetteId, interaction: target.interaction, plan }) : () => {};
  try {
    const obs = await chat.chat(request);
    return { obs, records: ctx.mock.log.since(since) };
  } finally {
    remove();
  }
}

/** Why the fault never applied to this call (so the gateway is not judged), or undefined when it did. */
export function chatNotServed(call: ChatFaultedCall, target: FaultTarget, plan?: FaultPlan): string | undefined {
  return notServedBy(call.records, target, plan, describeChatOutcome(call.obs));
}
