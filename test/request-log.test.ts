// The request log keeps the newest `limit` records in a ring; checked against the plain model it
// replaced (push, then drop the oldest by splice), operation by operation.
import test from 'ava';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { RequestLog, type RequestRecord } from '../mock-bedrock/request-log.ts';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 200;

/** The log as it was: an array trimmed from the front with splice. */
class ModelLog {
  records: RequestRecord[] = [];
  constructor(private readonly limit: number) {}
  add(record: RequestRecord): void {
    this.records.push(record);
    if (this.records.length > this.limit) this.records.splice(0, this.records.length - this.limit);
  }
}

const fields = (n: number) => ({ method: 'POST', target: `/model/m/converse-${n}`, httpVersion: '1.1', headers: {}, body: new Uint8Array() });

type Op = { kind: 'begin' } | { kind: 'finish'; back: number } | { kind: 'since'; seq: number } | { kind: 'records' };
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.constant<Op>({ kind: 'begin' }), weight: 6 },
  { arbitrary: fc.nat(30).map((back): Op => ({ kind: 'finish', back })), weight: 1 },
  { arbitrary: fc.oneof(fc.integer({ min: -3, max: 80 }), fc.double({ min: -3, max: 80, noNaN: true }), fc.constantFrom(NaN, Infinity, -Infinity)).map((seq): Op => ({ kind: 'since', seq })), weight: 2 },
  { arbitrary: fc.constant<Op>({ kind: 'records' }), weight: 1 },
);
const arbLimit = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.double({ min: 0.1, max: 8, noNaN: true }), fc.constantFrom(-1, NaN, Infinity));

const ids = (records: RequestRecord[]) => records.map((r) => r.seq);

test('request log › keeps what the splice-based log kept, in order, for any limit and any sequence of requests', (t) => {
  t.log(`seed=${SEED} (replay: FC_SEED=${SEED} npx ava test/request-log.test.ts)`);
  fc.assert(
    fc.property(arbLimit, fc.array(arbOp, { maxLength: 80 }), (limit, ops) => {
      const log = new RequestLog(limit);
      const model = new ModelLog(limit);
      const begun: RequestRecord[] = [];
      for (const op of ops) {
        if (op.kind === 'begin') {
          const record = log.begin(fields(begun.length));
          if (record.seq !== begun.length + 1 || record.outcome !== 'pending') throw new Error(`record ${record.seq} ${record.outcome}`);
          begun.push(record);
          model.add(record);
        } else if (op.kind === 'finish' && begun.length > 0) {
          const record = begun[begun.length - 1 - (op.back % begun.length)]!;
          log.finish(record, 'complete');
          if (record.outcome !== 'complete') throw new Error('finish did not set the outcome');
        } else if (op.kind === 'since') {
          const got = log.since(op.seq);
          const want = model.records.filter((r) => r.seq > op.seq);
          if (got.length !== want.length || got.some((r, i) => r !== want[i])) throw new Error(`since(${op.seq}): ${ids(got)} vs ${ids(want)}`);
        } else {
          const got = log.records;
          if (got.length !== model.records.length || got.some((r, i) => r !== model.records[i])) {
            throw new Error(`records: ${ids(got)} vs ${ids(model.records)}`);
          }
        }
        if (log.lastSeq !== begun.length) throw new Error(`lastSeq ${log.lastSeq}`);
      }
      const final = log.records;
      return final.length === model.records.length && final.every((r, i) => r === model.records[i]);
    }),
    { seed: SEED, numRuns: RUNS },
  );
  t.pass();
});

test('request log › a full log drops the oldest record per request and answers since() from the newest end', (t) => {
  const log = new RequestLog(3);
  const records = Array.from({ length: 7 }, (_, i) => log.begin(fields(i)));
  t.deepEqual(ids(log.records), [5, 6, 7]);
  t.deepEqual(ids(log.since(5)), [6, 7]);
  t.deepEqual(ids(log.since(0)), [5, 6, 7]);
  t.deepEqual(log.since(7), []);
  t.is(log.lastSeq, 7);
  // records is a snapshot: a later request does not change an array already handed out.
  const snapshot = log.records;
  log.begin(fields(7));
  t.deepEqual(ids(snapshot), [5, 6, 7]);
  t.deepEqual(ids(log.records), [6, 7, 8]);
  t.is(records[6], log.records[1]);
});

test('request log › listeners hear every finished record until they unsubscribe', (t) => {
  const log = new RequestLog(2);
  const heard: Array<[number, string]> = [];
  const stop = log.onFinish((r) => heard.push([r.seq, r.outcome]));
  const a = log.begin(fields(0));
  const b = log.begin(fields(1));
  log.finish(b, 'reset');
  log.finish(a, 'complete');
  stop();
  log.finish(log.begin(fields(2)), 'error');
  t.deepEqual(heard, [[2, 'reset'], [1, 'complete']]);
});
