// One call through the gateway with a fault rule set on the mock for exactly that call, plus what
// the mock saw, so a check can tell "the gateway got it wrong" from "the fault never applied".
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { CallObservation, CallSpec } from './client-driver.ts';
import type { SuiteContext } from './suite.ts';

/** Which recorded answer the fault applies to. */
export interface FaultTarget {
  cassetteId: string;
  interaction: number;
}

/** The client's view and the mock's records of the same call. */
export interface FaultedCall {
  obs: CallObservation;
  records: RequestRecord[];
}

/** Sends `spec` with `plan` applied to `target` (no rule when plan is undefined), then removes the rule. */
export async function callWithFault(
  ctx: Pick<SuiteContext, 'mock' | 'client'>, target: FaultTarget, plan: FaultPlan | undefined, spec: CallSpec,
): Promise<FaultedCall> {
  const since = ctx.mock.log.lastSeq;
  const remove = plan ? ctx.mock.faults.add({ cassetteId: target.cassetteId, interaction: target.interaction, plan }) : () => {};
  try {
    const obs = await ctx.client.call(spec);
    return { obs, records: ctx.mock.log.since(since) };
  } finally {
    remove();
  }
}

/**
 * Why the mock did not serve `target` (with `plan`, when given) for this call, or undefined when it
 * did: a check whose fault never applied must say so instead of judging the gateway.
 */
export function notServed(call: FaultedCall, target: FaultTarget, plan?: FaultPlan): string | undefined {
  return notServedBy(call.records, target, plan, describeOutcome(call.obs));
}

/** notServed for any client: `clientSaw` says in words what the client got. */
export function notServedBy(records: readonly RequestRecord[], target: FaultTarget, plan: FaultPlan | undefined, clientSaw: string): string | undefined {
  if (records.length === 0) return `the request never reached the mock (client saw: ${clientSaw})`;
  const served = records.find((r) => r.cassetteId === target.cassetteId && r.interaction === target.interaction);
  if (!served) {
    const last = records[records.length - 1]!;
    if (last.sigv4 && !last.sigv4.ok) return `the mock rejected the gateway's signature: ${last.sigv4.reason}`;
    return `the mock did not answer from cassette ${target.cassetteId} (status ${last.status ?? '?'}${last.harnessError ? `, ${last.harnessError}` : ''}); client saw: ${clientSaw}`;
  }
  if (plan && JSON.stringify(served.faults) !== JSON.stringify(plan)) {
    return `the mock applied faults ${JSON.stringify(served.faults ?? {})} instead of ${JSON.stringify(plan)}`;
  }
  return undefined;
}

/** The mock's log records for this call, in words (for evidence). */
export function describeRecords(records: readonly RequestRecord[]): string[] {
  return records.map((r) => {
    const sig = r.sigv4 ? (r.sigv4.ok ? 'signature ok' : `signature rejected`) : 'signature not checked';
    return `mock got ${r.method} ${r.target} (${sig}); answered ${r.status ?? '?'} from ${r.cassetteId ?? 'no cassette'}, ${r.writes.length} write(s), ${r.outcome}`;
  });
}

/** The client's outcome in one line: "error X: msg after N events at T ms" or "clean end after N events". */
export function describeOutcome(obs: CallObservation): string {
  const events = `${obs.events.length} event(s)`;
  if (obs.error) {
    const at = Math.round(obs.error.t - obs.sentAt);
    const status = obs.error.status === undefined ? '' : ` (HTTP ${obs.error.status})`;
    return `error ${obs.error.name}${status}: ${oneLine(obs.error.message)} — after ${events}, at ${at} ms`;
  }
  return `clean end after ${events}, at ${Math.round(obs.endedAt - obs.sentAt)} ms`;
}

/** First line of a message, shortened: SDK messages can hold whole canonical requests. */
export function oneLine(text: string, limit = 300): string {
  const first = text.split('\n')[0] ?? '';
  return first.length > limit ? `${first.slice(0, limit)}…` : first;
}
