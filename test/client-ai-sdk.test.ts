// The Vercel AI SDK (`ai` + `@ai-sdk/amazon-bedrock`) completes the seed's two-round top_song flow
// against the mock and through the reference gateway, streaming and not: its own multi-step loop
// runs the tool and sends the result, and both rounds are answered from the seed cassette.
import test from 'ava';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool, type JSONSchema7, type StepResult } from 'ai';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import {
  expectedSeedMatches, loggedMatches, readSeedFlow, signingKeyIds, startClientRig, type ClientRig, type ClientRoute, type SeedFlow,
} from './support/client-flow-fixture.ts';

/** The seed's tool as an AI SDK tool returning `result`; `calls` collects the inputs the SDK ran it with. */
function topSongTool(flow: SeedFlow, calls: unknown[], result: Record<string, unknown> = flow.toolResult) {
  return tool({
    description: flow.tool.description,
    inputSchema: jsonSchema<{ sign: string }>(flow.tool.inputSchema as JSONSchema7),
    execute: async (input) => {
      calls.push(input);
      return result;
    },
  });
}

/** The request a user writes: the seed question, the tool, and up to two steps (tool call, answer). */
function seedRequest(rig: ClientRig, flow: SeedFlow, calls: unknown[], result?: Record<string, unknown>) {
  const bedrock = createAmazonBedrock({ region: rig.region, baseURL: rig.url, ...rig.credentials });
  return {
    model: bedrock(flow.modelId),
    messages: [{ role: 'user' as const, content: flow.question }],
    tools: { [flow.tool.name]: topSongTool(flow, calls, result) },
    stopWhen: stepCountIs(2),
    maxRetries: 0,
  };
}

const where = (route: ClientRoute) => (route === 'mock' ? 'against the mock' : 'through the reference gateway');

for (const route of ['mock', 'gateway'] as const) {
  for (const mode of [{ name: 'streamText', kind: 'stream' }, { name: 'generateText', kind: 'plain' }] as const) {
    test(`ai sdk › ${mode.name} completes the seed tool-use flow ${where(route)}`, async (t) => {
      const flow = await readSeedFlow(mode.kind);
      const rig = await startClientRig(route);
      try {
        const calls: unknown[] = [];
        const request = seedRequest(rig, flow, calls);
        let text: string;
        let finishReason: string;
        let steps: StepResult<ReturnType<typeof seedRequest>['tools']>[];
        if (mode.kind === 'stream') {
          const errors: unknown[] = [];
          const stream = streamText({ ...request, onError: ({ error }) => { errors.push(error); } });
          let streamed = '';
          for await (const delta of stream.textStream) streamed += delta;
          t.deepEqual(errors, [], 'the stream reported errors');
          [text, finishReason, steps] = [await stream.text, await stream.finishReason, await stream.steps];
          t.true(streamed.endsWith(flow.finalText), `streamed text: ${streamed}`);
        } else {
          ({ text, finishReason, steps } = await generateText(request));
        }

        t.is(steps.length, 2);
        t.is(steps[0]!.finishReason, 'tool-calls');
        t.deepEqual(steps[0]!.toolCalls.map((c) => [c.toolName, c.input]), [[flow.tool.name, flow.toolInput]]);
        t.deepEqual(calls, [flow.toolInput]);
        t.is(text, flow.finalText);
        t.is(finishReason, 'stop');
        t.deepEqual(steps.map((s) => [s.usage.inputTokens, s.usage.outputTokens]), flow.rounds.map((r) => [r.usage.inputTokens, r.usage.outputTokens]));
        t.deepEqual(steps.map((s) => s.response.headers?.['x-amzn-requestid']), flow.rounds.map((r) => r.requestId));

        t.deepEqual(loggedMatches(rig.mock.log.records), expectedSeedMatches(flow.cassetteId));
        // Through the gateway the mock sees the gateway's keys, never the client's.
        t.deepEqual(signingKeyIds(rig.mock.log.records), [DEFAULT_CREDENTIALS.accessKeyId, DEFAULT_CREDENTIALS.accessKeyId]);
      } finally {
        await rig.close();
      }
    });
  }
}

test('ai sdk › a different tool result is not answered from the seed cassette', async (t) => {
  const flow = await readSeedFlow('plain');
  const rig = await startClientRig('gateway');
  try {
    const calls: unknown[] = [];
    const error = await t.throwsAsync(generateText(seedRequest(rig, flow, calls, { ...flow.toolResult, song: 'Another Song' })));
    t.true(APICallError.isInstance(error), String(error));
    t.is((error as APICallError).statusCode, 400);
    t.regex(error!.message, /no cassette matches converse for 'cohere\.command-r-v1:0'.*seed-cohere-top-song-converse\.json interaction 1 \(messages\[2\]: got .*Another Song/);
    t.deepEqual(calls, [flow.toolInput]);
    const [first, second] = loggedMatches(rig.mock.log.records);
    t.deepEqual(first, expectedSeedMatches(flow.cassetteId)[0]);
    t.like(second, { harnessError: 'no-match', interaction: undefined, sigv4: true });
  } finally {
    await rig.close();
  }
});
