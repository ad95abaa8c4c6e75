// Each fault the mock injects reaches the AWS SDK the way WIRE.md says a real one does.
// Serial: fault rules are keyed by cassette, so two tests at once would take each other's faults.
import test from 'ava';
import { ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { join } from 'node:path';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import { startMock, type RunningMock } from '../mock-bedrock/start-mock.ts';
import { ERROR_STATUS, ERROR_TYPES, STREAM_EXCEPTION_TYPES } from '../mock-bedrock/wire-constants.ts';
import { sdkClient } from './support/sdk-client.ts';
import { REPO_ROOT } from './shared-paths.ts';

const SEED = join(REPO_ROOT, 'cassettes/synthetic/seed-cohere-top-song-converse-stream.json');
let mock: RunningMock;
let request: { modelId: string; body: Record<string, unknown> };

test.before(async () => {
  const read = await readCassetteFile(SEED);
  if (!read.ok) throw new Error(read.errors.join('\n'));
  const r = read.cassette.interactions[0]!.request;
  request = { modelId: r.modelId, body: r.body as Record<string, unknown> };
  mock = await startMock({ cassettes: [read.cassette] });
});
test.after.always(() => mock?.close());

/** Streams round 1 with `plan` applied; reports the events seen and how it ended. */
async function streamWith(plan: FaultPlan, http2 = false) {
  const remove = mock.faults.add({ cassetteId: 'seed-cohere-top-song-converse-stream', interaction: 0, plan, times: 1 });
  const client = sdkClient(mock.url, { http2 });
  const events: string[] = [];
  try {
    const out = await client.send(new ConverseStreamCommand({ modelId: request.modelId, ...request.body } as never));
    for await (const event of out.stream!) events.push(Object.keys(event)[0]!);
    return { events, error: undefined as undefined | { name: string; message: string; status?: number } };
  } catch (e) {
    const error = e as Error & { $metadata?: { httpStatusCode?: number } };
    return { events, error: { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode } };
  } finally {
    remove();
    client.destroy();
  }
}

const pascal = (type: string) => type[0]!.toUpperCase() + type.slice(1);

for (const type of STREAM_EXCEPTION_TYPES) {
  for (const frame of [0, 3]) {
    test.serial(`mock faults › ${type} at frame ${frame} surfaces as ${pascal(type)}`, async (t) => {
      const { events, error } = await streamWith({ exception: { frame, type, message: 'injected' } });
      t.is(error?.name, pascal(type));
      t.is(events.length, frame, 'events before the exception still arrive');
    });
  }
}

for (const type of ERROR_TYPES) {
  test.serial(`mock faults › HTTP ${type} reaches the SDK with status ${ERROR_STATUS[type]}`, async (t) => {
    const { events, error } = await streamWith({ httpError: { type, message: 'injected' } });
    t.is(error?.name, type);
    t.is(error?.status, ERROR_STATUS[type]);
    t.deepEqual(events, []);
  });
}

test.serial('mock faults › truncation mid-frame is "Truncated event message received."', async (t) => {
  const { events, error } = await streamWith({ truncate: { frame: 4, bytes: 40 } });
  t.regex(error?.message ?? '', /Truncated event message received/);
  t.is(events.length, 4);
});

test.serial('mock faults › a clean end 2 bytes into a frame raises nothing in the SDK (the quirk WIRE.md notes)', async (t) => {
  const { events, error } = await streamWith({ truncate: { frame: 4, bytes: 2 } });
  t.is(error, undefined);
  t.is(events.length, 4);
});

test.serial('mock faults › a corrupted message CRC is reported by the SDK as a checksum mismatch', async (t) => {
  const { error } = await streamWith({ corruptCrc: { frame: 2, which: 'message' } });
  t.regex(error?.message ?? '', /checksum/i);
});

for (const http2 of [false, true]) {
  test.serial(`mock faults › a reset mid-stream is an error, not a clean end (${http2 ? 'HTTP/2' : 'HTTP/1.1'})`, async (t) => {
    const { error } = await streamWith({ reset: { frame: 3, bytes: 10 }, delays: [{ frame: 3, ms: 50 }] }, http2);
    t.truthy(error, 'the SDK must throw');
    t.log(error?.name, error?.message);
  });
}

test.serial('mock faults › a 1-byte drip still decodes to every event', async (t) => {
  const plain = await streamWith({});
  const drip = await streamWith({ split: { kind: 'drip', size: 1 } });
  t.is(drip.error, undefined);
  t.deepEqual(drip.events, plain.events);
  t.true(plain.events.length > 5);
});

test.serial('mock faults › a client that leaves during a long pause ends the write at once, not when the pause is over', async (t) => {
  const remove = mock.faults.add({ cassetteId: 'seed-cohere-top-song-converse-stream', interaction: 0, plan: { delays: [{ frame: 2, ms: 30_000 }] }, times: 1 });
  const since = mock.log.lastSeq;
  const client = sdkClient(mock.url);
  const abort = new AbortController();
  const finished = new Promise<{ outcome: string; at: number }>((resolve) => {
    const stop = mock.log.onFinish((r) => { if (r.seq > since) { stop(); resolve({ outcome: r.outcome, at: performance.now() }); } });
  });
  try {
    const out = await client.send(new ConverseStreamCommand({ modelId: request.modelId, ...request.body } as never), { abortSignal: abort.signal });
    const events: string[] = [];
    for await (const event of out.stream!) {
      events.push(Object.keys(event)[0]!);
      if (events.length === 2) break;
    }
  } catch { /* the abort */ } finally {
    abort.abort();
    client.destroy();
    remove();
  }
  const left = performance.now();
  const record = await Promise.race([finished, new Promise<undefined>((resolve) => setTimeout(resolve, 5_000))]);
  t.truthy(record, 'the mock finished the record well before the 30 s pause');
  t.is(record?.outcome, 'client-closed');
  t.true(record!.at - left < 2_000, `finished ${Math.round(record!.at - left)} ms after the client left`);
});
