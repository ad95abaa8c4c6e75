import test from 'ava';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BedrockRuntimeClient, ConverseStreamCommand, InternalServerException, ModelStreamErrorException,
  ServiceUnavailableException, ThrottlingException, ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { decodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';
import { errorFrame, exceptionFrame } from '../mock-bedrock/exception-frame.ts';
import type { FaultPlan, WritePlan } from '../mock-bedrock/fault-plan.ts';
import { planWrites } from '../mock-bedrock/write-plan.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, EVENTSTREAM_CONTENT_TYPE, type StreamExceptionType } from '../mock-bedrock/wire-constants.ts';

const CAPTURE = new URL('../../shared/captures/envoy-ai-gateway/claude-converse-stream-tool-use.bin', import.meta.url);
const FRAMES = splitFrames(new Uint8Array(readFileSync(CAPTURE))).frames;

/**
 * Frames as other projects keep them in their tests, every CRC valid. The Bedrock exception frames
 * are fixtures of Bedrock client projects (found by code search); the error frame is botocore's
 * tests/unit/test_eventstream.py ERROR_EVENT_MESSAGE.
 */
const VECTORS = [
  {
    build: () => exceptionFrame('serviceUnavailableException', 'Bedrock is unable to process your request.'),
    hex: '000000b1000000697ceb27310f3a657863657074696f6e2d7479706507001b73657276696365556e617661696c61626c65457863657074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797065070009657863657074696f6e7b226d657373616765223a22426564726f636b20697320756e61626c6520746f2070726f6365737320796f757220726571756573742e227d8981327d',
  },
  {
    build: () => exceptionFrame('validationException', 'messages.1.content.1.text.citations: Extra inputs are not permitted'),
    hex: '000000c200000061cc42351c0f3a657863657074696f6e2d7479706507001376616c69646174696f6e457863657074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797065070009657863657074696f6e7b226d657373616765223a226d657373616765732e312e636f6e74656e742e312e746578742e6369746174696f6e733a20457874726120696e7075747320617265206e6f74207065726d6974746564227d182b9ff9',
  },
  {
    build: () => exceptionFrame('validationException', 'Invalid prompt: prompt must start with "\n\nHuman:" turn, prompt must end with "\n\nAssistant:" turn'),
    hex: '000000e700000061c56395680f3a657863657074696f6e2d7479706507001376616c69646174696f6e457863657074696f6e0d3a636f6e74656e742d747970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d74797065070009657863657074696f6e7b226d657373616765223a22496e76616c69642070726f6d70743a2070726f6d7074206d7573742073746172742077697468205c225c6e5c6e48756d616e3a5c22207475726e2c2070726f6d7074206d75737420656e642077697468205c225c6e5c6e417373697374616e743a5c22207475726e227d93f39957',
  },
  {
    build: () => errorFrame('code', 'message'),
    hex: '0000005200000042bf23637e0d3a6d6573736167652d747970650700056572726f720b3a6572726f722d636f6465070004636f64650e3a6572726f722d6d6573736167650700076d6573736167656b6cea3d',
  },
];

test('exceptionFrame › byte-identical to exception and error frames kept from real streams', (t) => {
  for (const { build, hex } of VECTORS) t.is(Buffer.from(build()).toString('hex'), hex);
});

test('exceptionFrame › three string headers in AWS order and a {"message"} payload without padding', (t) => {
  const message = decodeMessage(exceptionFrame('throttlingException', 'Too many requests, please wait before trying again.'));
  t.deepEqual(Object.entries(message.headers), [
    [':exception-type', { type: 'string', value: 'throttlingException' }],
    [':content-type', { type: 'string', value: 'application/json' }],
    [':message-type', { type: 'string', value: 'exception' }],
  ]);
  t.is(Buffer.from(message.body).toString(), '{"message":"Too many requests, please wait before trying again."}');
});

interface Outcome {
  sendError?: Error;
  events: string[];
  streamError?: Error;
}

/** Serves one write plan as a ConverseStream response on 127.0.0.1 and reads it with the real SDK client. */
async function converse(plan: WritePlan): Promise<Outcome> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      res.writeHead(200, { 'Content-Type': EVENTSTREAM_CONTENT_TYPE, 'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000' });
      for (const write of plan.writes) {
        if (write.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, write.delayMs));
        res.write(write.bytes);
      }
      if (plan.end === 'reset') res.socket?.resetAndDestroy();
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client = new BedrockRuntimeClient({
    endpoint: `http://127.0.0.1:${port}`, region: DEFAULT_REGION, credentials: DEFAULT_CREDENTIALS,
    requestHandler: new NodeHttpHandler(), maxAttempts: 1,
  });
  const outcome: Outcome = { events: [] };
  let sent = false;
  try {
    const response = await client.send(new ConverseStreamCommand({
      modelId: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', messages: [{ role: 'user', content: [{ text: 'cos(7)?' }] }],
    }));
    sent = true;
    for await (const event of response.stream ?? []) outcome.events.push(Object.keys(event)[0]);
  } catch (error) {
    outcome[sent ? 'streamError' : 'sendError'] = error as Error;
  } finally {
    client.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return outcome;
}

const EXCEPTION_CLASSES: Record<StreamExceptionType, new (...args: never[]) => Error> = {
  internalServerException: InternalServerException,
  modelStreamErrorException: ModelStreamErrorException,
  serviceUnavailableException: ServiceUnavailableException,
  throttlingException: ThrottlingException,
  validationException: ValidationException,
};

for (const [type, ExceptionClass] of Object.entries(EXCEPTION_CLASSES) as [StreamExceptionType, new () => Error][]) {
  test(`exceptionFrame › the SDK throws ${ExceptionClass.name} mid-stream for ${type}, even when dripped byte by byte`, async (t) => {
    for (const split of [undefined, { kind: 'drip', size: 1 }] as FaultPlan['split'][]) {
      const outcome = await converse(planWrites(FRAMES, [], { split, exception: { frame: 1, type, message: `${type} at frame 1` } }));
      t.deepEqual(outcome.events, ['messageStart']);
      t.true(outcome.streamError instanceof ExceptionClass, String(outcome.streamError));
      t.is(outcome.streamError?.name, ExceptionClass.name);
      t.is(outcome.streamError?.message, `${type} at frame 1`);
    }
  });
}

test('exceptionFrame › an exception in the first frame is thrown by send()', async (t) => {
  const outcome = await converse(planWrites(FRAMES, [], { exception: { frame: 0, type: 'throttlingException' } }));
  t.true(outcome.sendError instanceof ThrottlingException, String(outcome.sendError ?? outcome.streamError));
  t.is(outcome.sendError?.message, 'Injected throttlingException (bedrock-conformance fault)');
});

test('errorFrame › the SDK throws a plain Error named by :error-code', async (t) => {
  const outcome = await converse(planWrites([FRAMES[0], errorFrame('InternalFailure', 'something broke')], [], {}));
  t.deepEqual(outcome.events, ['messageStart']);
  t.is(outcome.streamError?.name, 'InternalFailure');
  t.is(outcome.streamError?.message, 'something broke');
});

test('planWrites › over HTTP: bad CRC, truncation and reset fail the stream as WIRE.md says; 1–3 stray bytes do not', async (t) => {
  const crc = await converse(planWrites(FRAMES, [], { corruptCrc: { frame: 2, which: 'message' } }));
  t.deepEqual(crc.events, ['messageStart', 'contentBlockDelta']);
  t.regex(crc.streamError?.message ?? '', /message checksum .* did not match/);
  const truncated = await converse(planWrites(FRAMES, [], { truncate: { frame: 2, bytes: 10 } }));
  t.deepEqual(truncated.events, ['messageStart', 'contentBlockDelta']);
  t.is(truncated.streamError?.message, 'Truncated event message received.');
  for (const bytes of [1, 2, 3]) {
    const stray = await converse(planWrites(FRAMES, [], { truncate: { frame: 2, bytes } }));
    t.deepEqual(stray, { events: ['messageStart', 'contentBlockDelta'] }, `${bytes} stray bytes`);
  }
  const reset = await converse(planWrites(FRAMES, [], { reset: { frame: 2, bytes: 10 }, delays: [{ frame: 2, ms: 100 }] }));
  t.deepEqual(reset.events, ['messageStart', 'contentBlockDelta'], 'a reset drops unread data, so it waits until frames 0-1 are read');
  const error = reset.streamError as (Error & { code?: string }) | undefined;
  t.regex(`${error?.code} ${error?.message}`, /ECONNRESET|aborted/);
});
