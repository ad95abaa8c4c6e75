// The reusable two-round tool-use flow of the seed how-to, driven from a two-interaction cassette:
// ask, rebuild the tool call, run it, send the toolResult back, compare the final answer.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { conversationOf, stableJson } from '../mock-bedrock/conversation-key.ts';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import { assembleTurn, dialectOf, toolCalls, turnMessage, turnText, type AssistantTurn } from './assistant-turn.ts';
import type { CallObservation, CallSpec } from './client-driver.ts';
import { describeOutcome } from './faulted-call.ts';
import { describeTextDifference, shown } from './json-diff.ts';
import { answeredBy, describeRecord, preferring, recordBody, recordsSince } from './mock-records.ts';
import { recordedTurn } from './recorded-response.ts';
import type { SuiteContext } from './suite.ts';
import { answerToolCall, recordedToolResults } from './tool-results.ts';

type Obj = Record<string, unknown>;

/** Everything one flow saw: the verdict, evidence lines, and the pieces other checks look at. */
export interface FlowOutcome {
  ok: boolean;
  message: string;
  evidence: string[];
  /** The assistant turn the client rebuilt from round 1. */
  turn?: AssistantTurn;
  round2Body?: Obj;
  /** The mock's record of round 2, when the cassette's interaction 1 answered it. */
  round2Record?: RequestRecord;
  finalText?: string;
  expectedText: string;
  observations: CallObservation[];
}

function roundLine(round: number, spec: CallSpec, obs: CallObservation, record: RequestRecord | undefined): string {
  const got = obs.error ? describeOutcome(obs) : `${obs.status ?? '?'}, ${obs.events.length} event(s), ${Math.round(obs.endedAt - obs.sentAt)} ms`;
  return `round ${round}: ${spec.operation} '${spec.modelId}' → ${got}; ${record ? describeRecord(record) : 'not answered by the cassette'}`;
}

/** Why the cassette's interaction did not answer: what the mock made of this flow's requests. */
function whyNotAnswered(ctx: Pick<SuiteContext, 'mock'>, since: number, spec: CallSpec): string {
  const first = stableJson(conversationOf(spec.body)[0]);
  const mine = recordsSince(ctx.mock.log, since, (r) => r.operation === spec.operation && stableJson(conversationOf(recordBody(r))[0]) === first);
  return mine.length ? mine.map(describeRecord).join('; ') : 'the mock received no such request';
}

/** Drives the two-round flow recorded in `cassette` through ctx.client; never throws for gateway faults. */
export function runToolUseFlow(ctx: Pick<SuiteContext, 'client' | 'mock'>, cassette: Cassette): Promise<FlowOutcome> {
  return preferring(ctx.mock, cassette.id, () => driveFlow(ctx, cassette));
}

async function driveFlow(ctx: Pick<SuiteContext, 'client' | 'mock'>, cassette: Cassette): Promise<FlowOutcome> {
  const [first, second] = cassette.interactions;
  const expected = second ? recordedTurn(second) : undefined;
  const expectedText = expected?.ok ? turnText(expected.turn) : '';
  const evidence: string[] = [];
  const observations: CallObservation[] = [];
  const fail = (message: string, extra: Partial<FlowOutcome> = {}): FlowOutcome => ({ ok: false, message, evidence, expectedText, observations, ...extra });
  if (!first || !second) return fail(`cassette ${cassette.id} does not hold two rounds`);
  const { operation, modelId } = first.request;
  const body1 = first.request.body as Obj;

  /** Sends round `i + 1`, notes it, and finds the record of cassette interaction `i` answering it. */
  const sendRound = async (i: number, spec: CallSpec) => {
    const since = ctx.mock.log.lastSeq;
    const obs = await ctx.client.call(spec);
    observations.push(obs);
    const record = answeredBy(ctx.mock.log, since, cassette.id, i);
    evidence.push(roundLine(i + 1, spec, obs, record));
    return { since, obs, record };
  };

  const spec1: CallSpec = { operation, modelId, body: body1 };
  const { since: since1, obs: obs1, record: record1 } = await sendRound(0, spec1);
  if (obs1.error) return fail(`round 1 failed: ${describeOutcome(obs1)} (${record1 ? 'the mock answered it' : whyNotAnswered(ctx, since1, spec1)})`);
  if (!record1) return fail(`round 1 was not answered by ${cassette.id} interaction 0: ${whyNotAnswered(ctx, since1, spec1)}`);
  const rebuilt = assembleTurn(operation, obs1);
  if (!rebuilt.ok) return fail(`round 1 could not be reassembled: ${rebuilt.reason}`);
  const turn = rebuilt.turn;
  const calls = toolCalls(turn);
  if (calls.length === 0) return fail(`round 1 brought no tool call (stop reason ${turn.stopReason ?? 'none'}, text ${shown(turnText(turn), 80)})`, { turn });

  const dialect = dialectOf(operation);
  const recorded = recordedToolResults(second.request.body);
  const results: unknown[] = [];
  for (const call of calls) {
    const answer = answerToolCall(dialect, call, recorded);
    if (!answer.ok) return fail(answer.reason, { turn });
    results.push(answer.block);
    evidence.push(`tool call ${call.name}(${shown(call.input, 80)}) id ${call.id} → result from the ${answer.source === 'tool' ? 'tool table' : 'recording'}`);
  }
  const messages = Array.isArray(body1.messages) ? body1.messages : [];
  const body2: Obj = { ...body1, messages: [...messages, turnMessage(turn), { role: 'user', content: results }] };

  const spec2: CallSpec = { operation, modelId, body: body2 };
  const { since: since2, obs: obs2, record: record2 } = await sendRound(1, spec2);
  const partial = { turn, round2Body: body2, round2Record: record2 };
  if (!record2) return fail(`round 2 was not answered by ${cassette.id} interaction 1: ${whyNotAnswered(ctx, since2, spec2)}${obs2.error ? `; client saw ${describeOutcome(obs2)}` : ''}`, partial);
  if (obs2.error) return fail(`round 2 failed: ${describeOutcome(obs2)}`, partial);
  const final = assembleTurn(operation, obs2);
  if (!final.ok) return fail(`round 2 could not be reassembled: ${final.reason}`, partial);
  const finalText = turnText(final.turn);
  const difference = describeTextDifference(expectedText, finalText);
  evidence.push(`final text: ${shown(finalText, 160)}`);
  if (difference) return fail(`the final answer ${difference}`, { ...partial, finalText });
  return {
    ok: true,
    message: `${calls.length} tool call(s) answered; the final answer matches the recording (${[...finalText].length} characters)`,
    evidence, expectedText, observations, ...partial, finalText,
  };
}
