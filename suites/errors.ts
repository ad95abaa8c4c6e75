// Errors: every Bedrock HTTP error and every mid-stream exception reaches the client as itself,
// so the SDK raises the exception the application catches.
import { defaultExceptionMessage } from '../mock-bedrock/exception-frame.ts';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import {
  ERROR_STATUS, ERROR_TYPES, STREAM_EXCEPTION_TYPES, type BedrockErrorType, type StreamExceptionType,
} from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import { callWithFault, describeOutcome, describeRecords, notServed } from './faulted-call.ts';
import { serveFaultStream, type FaultStream } from './fault-stream.ts';
import { guardedCheck, type CheckVerdict } from './guarded-check.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'errors';
/** Events delivered before the later exception frame. */
const EVENTS_BEFORE = 3;

/** The SDK's exception name for a mid-stream exception type (`throttlingException` → `ThrottlingException`). */
export function sdkExceptionName(type: StreamExceptionType): string {
  return type[0]!.toUpperCase() + type.slice(1);
}

async function httpErrorCheck(ctx: SuiteContext, s: FaultStream, type: BedrockErrorType): Promise<CheckVerdict> {
  const plan: FaultPlan = { httpError: { type } };
  const call = await callWithFault(ctx, s.target, plan, s.spec);
  const evidence = [`client got ${describeOutcome(call.obs)}`, ...describeRecords(call.records)];
  const problem = notServed(call, s.target, plan);
  if (problem) return { status: 'fail', evidence, message: `the ${type} was never injected: ${problem}` };
  const err = call.obs.error;
  const status = ERROR_STATUS[type];
  if (!err) return { status: 'fail', evidence, message: `the mock answered ${status} ${type} but the client got no error (${describeOutcome(call.obs)})` };
  const wrong: string[] = [];
  if (err.name !== type) wrong.push(`the SDK raised ${err.name} instead of ${type}`);
  if (err.status === undefined) evidence.push('the client driver did not report the HTTP status');
  else if (err.status !== status) wrong.push(`HTTP status ${err.status} instead of ${status}`);
  if (err.errorType === undefined) evidence.push('the client driver did not report x-amzn-ErrorType');
  else if (err.errorType.split(':')[0] !== type) wrong.push(`x-amzn-ErrorType '${err.errorType}' instead of ${type}`);
  if (wrong.length > 0) return { status: 'fail', evidence, message: `upstream ${status} ${type}: ${wrong.join('; ')}` };
  return { status: 'pass', evidence, message: `upstream ${status} ${type} reached the client as ${err.name} (HTTP ${err.status ?? 'not reported'})` };
}

async function streamExceptionCheck(ctx: SuiteContext, s: FaultStream, type: StreamExceptionType, frame: number): Promise<CheckVerdict> {
  const plan: FaultPlan = { exception: { frame, type } };
  const call = await callWithFault(ctx, s.target, plan, s.spec);
  const { obs } = call;
  const evidence = [`client got ${describeOutcome(obs)}`, ...describeRecords(call.records)];
  const problem = notServed(call, s.target, plan);
  if (problem) return { status: 'fail', evidence, message: `the ${type} frame was never injected: ${problem}` };
  const name = sdkExceptionName(type);
  const where = frame === 0 ? 'as the first frame' : `after ${frame} events`;
  if (!obs.error) return { status: 'fail', evidence, message: `the ${type} frame ${where} was lost: the client saw ${describeOutcome(obs)}` };
  const wrong: string[] = [];
  if (obs.error.name !== name) wrong.push(`the SDK raised ${obs.error.name} instead of ${name}`);
  if (obs.events.length !== frame) wrong.push(`the client got ${obs.events.length} event(s) before it, expected ${frame}`);
  if (!obs.error.message.includes(defaultExceptionMessage(type))) evidence.push("the exception's message did not come through unchanged");
  if (wrong.length > 0) return { status: 'fail', evidence, message: `the ${type} frame ${where}: ${wrong.join('; ')}` };
  return { status: 'pass', evidence, message: `the ${type} frame ${where} reached the client as ${name}` };
}

/** The errors suite: every HTTP error type, then every stream exception type at frame 0 and frame 3. */
export const errorsSuite: Suite = {
  id: SUITE,
  title: 'Errors: HTTP errors and mid-stream exceptions reach the client as themselves',
  async run(ctx) {
    const results: CheckResult[] = [];
    let stream: FaultStream | undefined;
    const check = async (id: string, body: (s: FaultStream) => Promise<CheckVerdict>) => {
      results.push(await guardedCheck(ctx, SUITE, id, async () => body(stream ??= serveFaultStream(ctx, 'errors-suite-stream'))));
    };
    for (const type of ERROR_TYPES) await check(`${SUITE}/http/${type}`, (s) => httpErrorCheck(ctx, s, type));
    for (const type of STREAM_EXCEPTION_TYPES) {
      await check(`${SUITE}/stream/${type}/first-frame`, (s) => streamExceptionCheck(ctx, s, type, 0));
      await check(`${SUITE}/stream/${type}/after-events`, (s) => streamExceptionCheck(ctx, s, type, EVENTS_BEFORE));
    }
    return results;
  },
};
