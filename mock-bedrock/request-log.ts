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
  // A ring: once full, `head` is the oldest record and the next one to be overwritten, so a
  // request costs O(1) however long the log (dropping the oldest by splice moved all of them).
  private readonly ring: RequestRecord[] = [];
  private head = 0;
  private readonly capacity: number;
  private seq = 0;
  private readonly listeners = new Set<(record: RequestRecord) => void>();

  constructor(limit = 10_000) {
    // As the splice-based log behaved: NaN never trims, a fraction keeps one more, <= 0 keeps none.
    this.capacity = Number.isNaN(limit) ? Infinity : Math.max(0, Math.ceil(limit));
  }

  /** The kept records, oldest first (a copy: later requests do not change it). */
  get records(): RequestRecord[] {
    return this.head === 0 ? this.ring.slice() : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
  }

  /** Starts a record for a new request. */
  begin(fields: Pick<RequestRecord, 'method' | 'target' | 'httpVersion' | 'headers' | 'body'>): RequestRecord {
    const record: RequestRecord = { seq: ++this.seq, t: performance.now(), writes: [], outcome: 'pending', ...fields };
    if (this.ring.length < this.capacity) {
      this.ring.push(record);
    } else if (this.capacity > 0) {
      this.ring[this.head] = record;
      this.head = (this.head + 1) % this.capacity;
    }
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
    // Sequence numbers rise from oldest to newest: walk back from the newest while they are above `seq`.
    const out: RequestRecord[] = [];
    const n = this.ring.length;
    for (let k = 1; k <= n; k++) {
      const record = this.ring[(this.head - k + n) % n]!;
      if (!(record.seq > seq)) break;
      out.push(record);
    }
    return out.reverse();
  }

  get lastSeq(): number {
    return this.seq;
  }
}
