// Suite 3: each recorded stream reaches the client unchanged, judged on the raw bytes (the SDK
// ignores content type, missing frames and unknown events) and again through the SDK.
import type { Cassette, CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { conversationKey } from '../mock-bedrock/conversation-key.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import { EVENTSTREAM_CONTENT_TYPE } from '../mock-bedrock/wire-constants.ts';
import type { CheckResult } from '../reports/results.ts';
import type { CallSpec, RawObservation } from './client-driver.ts';
import { describeOutcome } from './faulted-call.ts';
import { compareFrames, endMarkers } from './frame-diff.ts';
import { guardedCheck, inSequence } from './guarded-check.ts';
import { describeRecord, preferring, servedInteraction, settled } from './mock-records.ts';
import { isSuccessfulStream, onlyEvents, recordedHeader, recordedSeen } from './recorded-response.ts';
import { compareSdkEvents } from './sdk-event-diff.ts';
import { streamTimeline } from './stream-timeline.ts';
import type { Suite, SuiteContext } from './suite.ts';

const SUITE = 'stream-fidelity';

/** One recorded stream to replay. */
export interface StreamTarget {
  cassette: Cassette;
  index: number;
}

/** Every successful recorded stream (a request repeated inside one cassette once; cassettes with built-in faults are left to other suites). */
export function streamTargets(cassettes: readonly Cassette[]): StreamTarget[] {
  const seen = new Set<string>();
  return cassettes.flatMap((cassette) => cassette.faults ? [] : cassette.interactions.flatMap((interaction, index) => {
    const { operation, modelId, body } = interaction.request;
    const key = `${cassette.id} ${operation} ${modelId} ${conversationKey(body ?? {})}`;
    if (!isSuccessfulStream(interaction) || !onlyEvents(interaction) || seen.has(key)) return [];
    seen.add(key);
    return [{ cassette, index }];
  }));
}

function header(raw: RawObservation, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Problems with the raw response: status, content type, request id, frames, end markers. */
export function rawProblems(raw: RawObservation, interaction: CassetteInteraction): { problems: string[]; frames: number } {
  const problems: string[] = [];
  if (raw.error) problems.push(`the response ended with an error: ${raw.error}`);
  if (raw.status !== interaction.response.status) problems.push(`status was ${raw.status}, upstream sent ${interaction.response.status}`);
  const type = header(raw, 'content-type');
  const wantType = recordedHeader(interaction, 'content-type') ?? EVENTSTREAM_CONTENT_TYPE;
  if (type !== wantType) problems.push(`content-type was ${type ?? '(missing)'}, upstream sent ${wantType}`);
  const id = header(raw, 'x-amzn-requestid');
  const wantId = recordedHeader(interaction, 'x-amzn-requestid');
  if (wantId !== undefined && id !== wantId) problems.push(id === undefined ? `x-amzn-RequestId was not passed through (upstream sent ${wantId})` : `x-amzn-RequestId was ${id}, upstream sent ${wantId}`);
  const recorded = (interaction.response.events ?? []).map(eventToFrame);
  const compared = compareFrames(raw.bytes, recorded);
  problems.push(...compared.problems);
  const have = endMarkers(compared.frames);
  for (const marker of endMarkers(recorded)) if (!have.has(marker)) problems.push(`no ${marker} frame reached the client`);
  return { problems, frames: compared.frames.length };
}

/** Sends `spec` one way and returns what came back with the mock's record and the interaction it replayed. */
async function sent<T>(ctx: SuiteContext, spec: CallSpec, send: (spec: CallSpec) => Promise<T>) {
  const since = ctx.mock.log.lastSeq;
  const got = await send(spec);
  const record = ctx.mock.log.since(since).find((r) => r.operation === spec.operation);
  return { got, record, replayed: servedInteraction(ctx.mock, record) };
}

const unreplayed = (record: RequestRecord | undefined) => (record ? `the mock did not replay a recorded stream: ${describeRecord(record)}` : 'the request never reached the mock');

/** One check: the stream of `target`, raw and through the SDK, each against the interaction the mock replayed. */
export function streamFidelityCheck(ctx: SuiteContext, target: StreamTarget): Promise<CheckResult> {
  const { cassette, index } = target;
  return guardedCheck(ctx, SUITE, `${SUITE}/${cassette.id}/round-${index + 1}`, () => preferring(ctx.mock, cassette.id, async () => {
    const { operation, modelId, body } = cassette.interactions[index]!.request;
    const spec: CallSpec = { operation, modelId, body: body ?? {} };
    const evidence = [`${operation} '${modelId}'`];
    const raw = await sent(ctx, spec, (s) => ctx.client.raw(s));
    if (!raw.replayed?.response.events) return { status: 'fail', message: `${unreplayed(raw.record)} (client saw HTTP ${raw.got.status}${raw.got.error ? `, ${raw.got.error}` : ''})`, evidence };
    evidence.push(`mock: ${describeRecord(raw.record!)}`);
    if (raw.record!.faults) evidence.push(`note: the mock applied faults ${JSON.stringify(raw.record!.faults)}`);
    const { problems, frames } = rawProblems(raw.got, raw.replayed);
    evidence.push(`raw: HTTP ${raw.got.status}, content-type ${header(raw.got, 'content-type') ?? '(missing)'}, ${frames} frames / ${raw.got.bytes.length} bytes in ${raw.got.reads.length} reads (recorded ${raw.replayed.response.events.length} frames)`);

    const sdk = await sent(ctx, spec, (s) => ctx.client.call(s));
    evidence.push(`SDK: ${describeOutcome(sdk.got)}`);
    const types = (sdk.replayed?.response.events ?? []).map((e) => String(e.headers[':event-type']));
    const timeline = sdk.record ? streamTimeline(sdk.got, await settled(ctx.mock.log, sdk.record), types) : undefined;
    if (sdk.got.error) problems.push(`SDK: the call failed: ${describeOutcome(sdk.got)}`);
    else if (!sdk.replayed) problems.push(`SDK: ${unreplayed(sdk.record)}`);
    else problems.push(...compareSdkEvents(sdk.got.events, recordedSeen(sdk.replayed).events).map((p) => `SDK: ${p}`));
    evidence.push(...problems);
    if (problems.length === 0) {
      return { status: 'pass', message: `${frames} frames byte-identical to the recording, content type and x-amzn-RequestId passed through; the SDK saw the recorded ${sdk.got.events.length} events`, evidence, timeline };
    }
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    return { status: 'fail', message: `${problems[0]}${more}`, evidence, timeline };
  }));
}

/** Stream fidelity over every recorded stream. */
export const streamFidelitySuite: Suite = {
  id: SUITE,
  title: 'Stream fidelity (raw bytes and SDK)',
  async run(ctx) {
    const targets = streamTargets(ctx.cassettes);
    if (targets.length === 0) return [await guardedCheck(ctx, SUITE, `${SUITE}/none`, async () => ({ status: 'skip', message: 'no recorded stream is loaded' }))];
    return inSequence(targets, (target) => streamFidelityCheck(ctx, target));
  },
};
