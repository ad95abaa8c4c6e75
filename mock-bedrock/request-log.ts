// What the mock saw and did for each request, kept in memory for runners and diagnostics.
import type { FaultPlan } from './fault-plan.ts';
import type { Operation } from './wire-constants.ts';

/** One write the mock performed, on the performance.now() clock shared with an in-process runner. */
export interface SentWrite {
  t: number;
  bytes: number;
  /** Frames fully written once this write is done. */
  framesDone: number;
}

/** The record of one request. Holds headers as received: keep it in memory, never write it out raw. */
export interface RequestRecord {
  seq: number;
  t: number;
  method: string;
  target: string;
  httpVersion: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
  operation?: Operation;
  modelId?: string;
  sigv4?: { ok: boolean; scheme?: string; reason?: string; findings: string[] };
  cassetteId?: string;
  interaction?: number;
  faults?: FaultPlan;
  status?: number;
  harnessError?: string;
  writes: SentWrite[];
  outcome: 'pending' | 'complete' | 'reset' | 'client-closed' | 'error';
}

/** A bounded log: the newest `limit` records, so a long run cannot grow memory without end. */
export class RequestLog {
  readonly records: RequestRecord[] = [];
  private seq = 0;
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(private readonly limit = 10_000) {}

  /** Starts a record for a new request. */
  begin(fields: Pick<RequestRecord, 'method' | 'target' | 'httpVersion' | 'headers' | 'body'>): RequestRecord {
    const record: RequestRecord = { seq: ++this.seq, t: performance.now(), writes: [], outcome: 'pending', ...fields };
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
    return record;
  }

  /** Marks a record finished and tells listeners (the CLI prints a line; runners wait on it). */
  finish(record: RequestRecord, outcome: RequestRecord['outcome']): void {
    record.outcome = outcome;
    for (const listener of this.listeners) listener(record);
  }

  /** Calls `listener` with every finished record; returns the unsubscribe function. */
  onFinish(listener: (record: RequestRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Records received at or after sequence number `seq` (exclusive), for one flow's evidence. */
  since(seq: number): RequestRecord[] {
    return this.records.filter((r) => r.seq > seq);
  }

  get lastSeq(): number {
    return this.seq;
  }
}
