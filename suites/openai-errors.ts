// Errors through a translating gateway: Bedrock's HTTP errors must reach the OpenAI client with the
// same status and an OpenAI-shaped body, and a mid-stream exception must reach it as an error,
// never as a stream that just ends.
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { ERROR_STATUS, STREAM_EXCEPTION_TYPES, type BedrockErrorType, type StreamExceptionType } from '../mock-bedrock/wire-constants.ts';
import type { ChatDriver, ChatObservation } from './chat-driver.ts';
import { chatNotServed, chatWithFault } from './chat-faulted-call.ts';
import { describeChatOutcome } from './chat-outcome.ts';
import { chatSuite } from './chat-suite.ts';
import { guardedCheck, inSequence, type CheckVerdict } from './guarded-check.ts';
import { chatRequestFor } from './openai-request.ts';
import { pacingTarget } from './no-buffering.ts';
import { runtimeCassette } from './runtime-cassette.ts';
import type { SuiteContext } from './suite.ts';
import type { StreamTarget } from './stream-fidelity.ts';

const SUITE = 'openai-errors';
/** Errors whose status decides what a client does next (fix the request, back off, retry later). */
const HTTP_ERRORS: BedrockErrorType[] = ['ValidationException', 'AccessDeniedException', 'ThrottlingException', 'InternalServerException', 'ServiceUnavailableException'];
/** The exception replaces this frame: after some text has gone out. */
const EXCEPTION_FRAME = 3;
const ERROR_MODEL_ID = 'cohere.command-r-v1:0';

/** Whether the body is `{"error": {"message": "..."}}`, the shape OpenAI clients read. */
function openAiShaped(obs: ChatObservation): boolean {
  try {
    return typeof JSON.parse(obs.bodyText)?.error?.message === 'string';
  } catch {
    return false;
  }
}

/** A fresh one-round Converse cassette per mode, so the error is injected into exactly this call. */
function errorTarget(ctx: SuiteContext, type: BedrockErrorType, stream: boolean) {
  const operation = stream ? 'converse-stream' as const : 'converse' as const;
  const id = `openai-errors-${type}-${operation}`;
  const prompt = `bedrock-conformance: answer with ${type} (${operation})`;
  ctx.mock.addCassettes([runtimeCassette({ id, operation, modelId: ERROR_MODEL_ID, prompt, answer: ['never sent'], seed: 7 })]);
  return { target: { cassetteId: id, interaction: 0 }, request: { model: ERROR_MODEL_ID, messages: [{ role: 'user' as const, content: prompt }], max_tokens: 256, stream } };
}

async function httpErrorCheck(ctx: SuiteContext, chat: ChatDriver, type: BedrockErrorType): Promise<CheckVerdict> {
  const message = `bedrock-conformance injected ${type}`;
  const plan: FaultPlan = { httpError: { type, message } };
  const want = ERROR_STATUS[type];
  const evidence: string[] = [];
  const problems: string[] = [];
  for (const stream of [true, false]) {
    const { target, request } = errorTarget(ctx, type, stream);
    const call = await chatWithFault(ctx, chat, target, plan, request);
    const skipped = chatNotServed(call, target, plan);
    if (skipped) return { status: 'fail', message: `the fault could not be applied: ${skipped}`, evidence };
    const { obs } = call;
    evidence.push(`stream: ${stream}: ${describeChatOutcome(obs)}`);
    if (!obs.error) problems.push(`stream: ${stream}: the client saw success (${describeChatOutcome(obs)})`);
    else if (obs.error.status !== want) problems.push(`stream: ${stream}: HTTP ${obs.error.status ?? 'none'} (${obs.error.where}) where Bedrock answered ${want}`);
    else if (!openAiShaped(obs)) problems.push(`stream: ${stream}: the error body is not OpenAI-shaped {"error": {"message"}}: ${obs.bodyText.slice(0, 120)}`);
    else if (!obs.error.message.includes(message)) problems.push(`stream: ${stream}: the error message lost Bedrock's text ("${message}"): ${obs.error.message.slice(0, 120)}`);
  }
  if (problems.length) return { status: 'fail', message: `Bedrock's ${want} ${type} did not reach the client as a ${want}: ${problems[0]}`, evidence: [...evidence, ...problems.slice(1)] };
  return { status: 'pass', message: `${type} reached the client as HTTP ${want} with an OpenAI error body and Bedrock's message, streamed and not`, evidence };
}

async function exceptionCheck(ctx: SuiteContext, chat: ChatDriver, t: StreamTarget, type: StreamExceptionType): Promise<CheckVerdict> {
  const plan: FaultPlan = { exception: { frame: EXCEPTION_FRAME, type } };
  const target = { cassetteId: t.cassette.id, interaction: t.index };
  const { request } = t.cassette.interactions[t.index]!;
  const call = await chatWithFault(ctx, chat, target, plan, chatRequestFor(request.modelId, request.body, true));
  const skipped = chatNotServed(call, target, plan);
  if (skipped) return { status: 'fail', message: `the fault could not be applied: ${skipped}` };
  const { obs } = call;
  const evidence = [`${type} in place of frame ${EXCEPTION_FRAME} of ${t.cassette.id}`, `client: ${describeChatOutcome(obs)}`];
  if (obs.error?.where === 'timeout') return { status: 'fail', message: `after the ${type} the gateway left the client waiting until its ${Math.round((obs.error.t - obs.sentAt) / 1000)} s timeout, after ${obs.chunks.length} chunk(s)`, evidence };
  if (obs.error?.where === 'parse') return { status: 'fail', message: `after the ${type} the gateway sent the client bytes that are not SSE JSON: ${obs.error.message.split('\n')[0]!.slice(0, 120)}`, evidence };
  if (obs.error) return { status: 'pass', message: `the client saw the ${type} as a ${obs.error.where} error: ${obs.error.message.split('\n')[0]!.slice(0, 120)}`, evidence };
  const end = obs.sawDone ? `ended normally with data: [DONE]${obs.message?.finishReason ? ` and finish_reason ${obs.message.finishReason}` : ''}` : 'just stopped (no error, no [DONE])';
  return { status: 'fail', message: `the ${type} never reached the client: the stream ${end} after ${obs.chunks.length} chunk(s), so the client takes a cut-off answer for a whole one`, evidence };
}

/** HTTP errors per status class, then each mid-stream exception type. */
export const openAiErrorsSuite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: Bedrock errors and mid-stream exceptions reach the client',
  async run(ctx, chat) {
    const picked = pacingTarget(ctx.cassettes, 'converse-stream');
    if ('synthetic' in picked) return [await guardedCheck(ctx, SUITE, `${SUITE}/none`, async () => ({ status: 'skip', message: 'no Converse stream cassette to inject errors into' }))];
    const http = await inSequence(HTTP_ERRORS, (type) => guardedCheck(ctx, SUITE, `${SUITE}/http-${type}`, () => httpErrorCheck(ctx, chat, type)));
    const streamed = await inSequence(STREAM_EXCEPTION_TYPES, (type) => guardedCheck(ctx, SUITE, `${SUITE}/mid-stream-${type}`, () => exceptionCheck(ctx, chat, picked, type)));
    return [...http, ...streamed];
  },
});
