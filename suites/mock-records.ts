// Reading the mock's request log from a check: which recorded answer served a call, and in words.
import type { CassetteInteraction } from '../mock-bedrock/cassette.ts';
import type { RequestLog, RequestRecord } from '../mock-bedrock/request-log.ts';
import type { RunningMock } from '../mock-bedrock/start-mock.ts';

/** The first record after `since` answered from `cassetteId` interaction `interaction`. */
export function answeredBy(log: RequestLog, since: number, cassetteId: string, interaction: number): RequestRecord | undefined {
  return log.since(since).find((r) => r.cassetteId === cassetteId && r.interaction === interaction);
}

/** The recorded interaction the mock answered `record` from, if any. */
export function servedInteraction(mock: Pick<RunningMock, 'cassettes'>, record: RequestRecord | undefined): CassetteInteraction | undefined {
  if (record?.cassetteId === undefined || record.interaction === undefined) return undefined;
  return mock.cassettes.find((c) => c.id === record.cassetteId)?.interactions[record.interaction];
}

/** Runs `work` while `cassetteId` is the mock's preferred answer for requests other cassettes also hold. */
export async function preferring<T>(mock: Pick<RunningMock, 'prefer'>, cassetteId: string, work: () => Promise<T>): Promise<T> {
  const unpin = mock.prefer(cassetteId);
  try {
    return await work();
  } finally {
    unpin();
  }
}

/** Records after `since` that satisfy `keep`, oldest first. */
export function recordsSince(log: RequestLog, since: number, keep: (r: RequestRecord) => boolean): RequestRecord[] {
  return log.since(since).filter(keep);
}

/** The request body a record holds, parsed (undefined when it is not JSON). */
export function recordBody(record: RequestRecord): unknown {
  try {
    return JSON.parse(Buffer.from(record.body).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** What the mock made of one request, in a line. */
export function describeRecord(r: RequestRecord): string {
  const what = `${r.operation ?? r.method} '${r.modelId ?? r.target}'`;
  if (r.sigv4 && !r.sigv4.ok) return `${what}: the mock rejected the signature (${r.sigv4.reason ?? 'no reason'})`;
  if (r.cassetteId !== undefined) return `${what}: answered from ${r.cassetteId} interaction ${r.interaction} (status ${r.status ?? '?'})`;
  if (r.harnessError === 'no-match') return `${what}: no recorded interaction matches the request the gateway forwarded`;
  return `${what}: status ${r.status ?? '?'}${r.harnessError ? ` (${r.harnessError})` : ''}`;
}

/** Waits (up to `ms`) until the mock has finished writing the record's response. */
export async function settled(log: RequestLog, record: RequestRecord, ms = 2000): Promise<RequestRecord> {
  if (record.outcome !== 'pending') return record;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { stop(); resolve(); }, ms);
    const stop = log.onFinish((r) => {
      if (r !== record) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
  return record;
}
