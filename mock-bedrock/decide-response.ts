// The mock's pure core: from a request to what must be written back (the transport only writes it).
import { bedrockError, frontDoorError, harnessError, type FrontDoorErrorType, type PlainResponse } from './bedrock-error.ts';
import type { CassetteInteraction } from './cassette.ts';
import { eventToFrame } from './event-codec.ts';
import type { FaultPlan, WritePlan } from './fault-plan.ts';
import { parseFaultPlan } from './fault-plan-parse.ts';
import type { FaultRules } from './fault-rules.ts';
import type { ResolvedMockOptions } from './mock-options.ts';
import type { RequestRecord } from './request-log.ts';
import { matchInteraction, type IndexedInteraction } from './request-match.ts';
import { parseRequestTarget } from './request-target.ts';
import { verifySigV4 } from './sigv4-verify.ts';
import { FAULT_REQUEST_HEADER } from './wire-constants.ts';
import { planWrites } from './write-plan.ts';

export type Decision =
  | { kind: 'plain'; response: PlainResponse }
  | { kind: 'stream'; status: number; headers: [string, string][]; plan: WritePlan };

/** What a decision needs besides the request: cassettes, runner-set faults, settings. */
export interface MockState {
  index: IndexedInteraction[];
  /** How many times each distinct request was answered, for recorded repeats. */
  seen: Map<string, number>;
  /** Cassettes that win when several hold the same request (counted: several runners may pin one). */
  preferred: Map<string, number>;
  faultRules: FaultRules;
  options: ResolvedMockOptions;
}

/** Headers the transport owns; a recording's values for them are not replayed. */
const TRANSPORT_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive', 'set-cookie']);

const plainPlans = new WeakMap<CassetteInteraction, WritePlan>();
const frameCache = new WeakMap<CassetteInteraction, { frames: Uint8Array[]; at: number[] }>();

/** The recorded frames of a stream interaction, encoded once and reused by every replay. */
export function framesOf(interaction: CassetteInteraction): { frames: Uint8Array[]; at: number[] } {
  let cached = frameCache.get(interaction);
  if (!cached) {
    const events = interaction.response.events ?? [];
    cached = { frames: events.map(eventToFrame), at: events.map((e) => e.at) };
    frameCache.set(interaction, cached);
  }
  return cached;
}

/** The recorded non-stream body bytes. */
function bodyOf(interaction: CassetteInteraction): Uint8Array {
  const { json, text } = interaction.response;
  return Buffer.from(text ?? JSON.stringify(json ?? {}), 'utf8');
}

function pickFaults(state: MockState, record: RequestRecord, found: IndexedInteraction): { ok: true; plan?: FaultPlan } | { ok: false; error: string } {
  const header = record.headers[FAULT_REQUEST_HEADER];
  if (typeof header === 'string') {
    let value: unknown;
    try { value = JSON.parse(header); } catch { return { ok: false, error: `${FAULT_REQUEST_HEADER} is not JSON` }; }
    const parsed = parseFaultPlan(value, FAULT_REQUEST_HEADER);
    return parsed.ok ? { ok: true, plan: parsed.plan } : { ok: false, error: parsed.error };
  }
  const plan = state.faultRules.take(found.cassette.id, found.index) ?? found.cassette.faults ?? state.options.defaultFaults;
  return { ok: true, plan };
}

/** Decides the answer to one request and notes what it decided in `record`. */
export async function decideResponse(state: MockState, record: RequestRecord): Promise<Decision> {
  const plain = (response: PlainResponse): Decision => ({ kind: 'plain', response });
  const target = parseRequestTarget(record.target);
  if (!target.ok || record.method !== 'POST') {
    return plain(frontDoorError('UnknownOperationException', 404, target.ok ? `${record.method} is not supported; use POST` : target.reason));
  }
  record.operation = target.operation;
  record.modelId = target.modelId;

  if (state.options.verifySigV4) {
    const verdict = await verifySigV4(
      { method: record.method, target: record.target, headers: record.headers, body: record.body },
      state.options,
    );
    record.sigv4 = verdict.ok
      ? { ok: true, scheme: verdict.scheme, findings: verdict.findings }
      : { ok: false, reason: verdict.reason, findings: [] };
    if (!verdict.ok) return plain(frontDoorError(verdict.errorType as FrontDoorErrorType, verdict.status, verdict.message));
  }

  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(record.body).toString('utf8'));
  } catch (error) {
    return plain(bedrockError('ValidationException', `Malformed input request: the body is not valid JSON (${(error as Error).message})`));
  }

  const match = matchInteraction(state.index, { operation: target.operation, modelId: target.modelId, body }, state.seen, new Set(state.preferred.keys()));
  if (!match.ok) {
    record.harnessError = 'no-match';
    return plain(harnessError('no-match', match.reason));
  }
  const { found } = match;
  record.cassetteId = found.cassette.id;
  record.interaction = found.index;

  const faults = pickFaults(state, record, found);
  if (!faults.ok) {
    record.harnessError = 'bad-faults';
    return plain(harnessError('bad-faults', faults.error));
  }
  record.faults = faults.plan;
  if (faults.plan?.httpError) {
    const { type, message } = faults.plan.httpError;
    return plain(bedrockError(type, message ?? `${type} injected by bedrock-conformance`));
  }

  const { response } = found.interaction;
  const headers = response.headers.filter(([name]) => !TRANSPORT_HEADERS.has(name.toLowerCase()));
  if (response.events) {
    const { frames, at } = framesOf(found.interaction);
    // Without faults every replay of an interaction is the same plan: build it once.
    let plan = faults.plan ? undefined : plainPlans.get(found.interaction);
    if (!plan) {
      plan = planWrites(frames, at, faults.plan ?? {});
      if (!faults.plan) {
        plan = { ...plan, burst: true };
        plainPlans.set(found.interaction, plan);
      }
    }
    return { kind: 'stream', status: response.status, headers, plan };
  }
  return plain({ status: response.status, headers, body: bodyOf(found.interaction) });
}
