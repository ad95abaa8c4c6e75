// LangChain's ChatBedrockConverse (@langchain/aws) completes the seed's two-round top_song flow
// against the mock and through the reference gateway, with invoke (converse) and stream
// (converse-stream): bindTools, the tool run by LangChain itself, a ToolMessage back, the answer.
import test from 'ava';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { ChatBedrockConverse } from '@langchain/aws';
import { AIMessageChunk, HumanMessage, type AIMessage, type BaseMessage } from '@langchain/core/messages';
import { tool, type StructuredToolInterface } from '@langchain/core/tools';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import {
  expectedSeedMatches, loggedMatches, readSeedFlow, signingKeyIds, startClientRig, type ClientRig, type ClientRoute, type SeedFlow,
} from './support/client-flow-fixture.ts';

/** The seed's tool as a LangChain tool; `calls` collects the inputs LangChain ran it with. */
function topSongTool(flow: SeedFlow, calls: unknown[]): StructuredToolInterface {
  return tool(async (input: Record<string, unknown>) => {
    calls.push(input);
    return flow.toolResult;
  }, { name: flow.tool.name, description: flow.tool.description, schema: flow.tool.inputSchema });
}

/** ChatBedrockConverse pointed at the rig: the endpoint can only be given through a client. */
function chatModel(rig: ClientRig, flow: SeedFlow, http2: boolean): ChatBedrockConverse {
  const client = new BedrockRuntimeClient({
    endpoint: rig.url,
    region: rig.region,
    credentials: { ...rig.credentials },
    maxAttempts: 1,
    ...(http2 ? {} : { requestHandler: new NodeHttpHandler() }),
  });
  return new ChatBedrockConverse({ model: flow.modelId, region: rig.region, client });
}

/** One round: invoke, or stream and concatenate the chunks the way LangChain's docs do. */
async function round(model: ReturnType<ChatBedrockConverse['bindTools']>, messages: BaseMessage[], streaming: boolean): Promise<AIMessage | AIMessageChunk> {
  if (!streaming) return model.invoke(messages);
  let full: AIMessageChunk | undefined;
  for await (const chunk of await model.stream(messages)) full = full ? full.concat(chunk) : chunk;
  if (!full) throw new Error('the stream produced no chunks');
  return full;
}

/** The stop reason a user reads: on the message (invoke) or in the merged `messageStop` event (stream). */
function stopReason(message: AIMessage | AIMessageChunk): unknown {
  const metadata = message.response_metadata as { stopReason?: string; messageStop?: { stopReason?: string } };
  return metadata.stopReason ?? metadata.messageStop?.stopReason;
}

const CASES: { route: ClientRoute; http2: boolean }[] = [
  { route: 'mock', http2: false },
  { route: 'mock', http2: true },
  { route: 'gateway', http2: false },
  { route: 'gateway', http2: true },
];
const MODES = [
  { name: 'stream', kind: 'stream' },
  { name: 'invoke', kind: 'plain' },
] as const;

for (const { route, http2 } of CASES) {
  for (const mode of MODES) {
    const where = route === 'mock' ? 'against the mock' : 'through the reference gateway';
    test(`langchain › ${mode.name} completes the seed tool-use flow ${where} over ${http2 ? 'HTTP/2 (SDK default)' : 'HTTP/1.1 (NodeHttpHandler)'}`, async (t) => {
      const flow = await readSeedFlow(mode.kind);
      const rig = await startClientRig(route);
      try {
        const calls: unknown[] = [];
        const topSong = topSongTool(flow, calls);
        const model = chatModel(rig, flow, http2).bindTools([topSong]);
        const streaming = mode.kind === 'stream';
        const messages: BaseMessage[] = [new HumanMessage(flow.question)];

        const first = await round(model, messages, streaming);
        t.deepEqual(first.tool_calls?.map((c) => [c.name, c.args]), [[flow.tool.name, flow.toolInput]]);
        t.is(stopReason(first), 'tool_use');
        t.like(first.usage_metadata, { input_tokens: flow.rounds[0]!.usage.inputTokens, output_tokens: flow.rounds[0]!.usage.outputTokens });
        const toolMessage = await topSong.invoke(first.tool_calls![0]!);
        t.deepEqual(calls, [flow.toolInput]);

        const second = await round(model, [...messages, first, toolMessage], streaming);
        t.is(second.text, flow.finalText);
        t.deepEqual(second.tool_calls ?? [], []);
        t.is(stopReason(second), 'end_turn');
        t.like(second.usage_metadata, { input_tokens: flow.rounds[1]!.usage.inputTokens, output_tokens: flow.rounds[1]!.usage.outputTokens });
        // invoke names its message after the response's x-amzn-RequestId.
        if (!streaming) t.deepEqual([first.id, second.id], flow.rounds.map((r) => r.requestId));

        const records = rig.mock.log.records;
        t.deepEqual(loggedMatches(records), expectedSeedMatches(flow.cassetteId));
        // The reference gateway forwards over HTTP/1.1 whatever the client spoke.
        t.deepEqual(records.map((r) => r.httpVersion), route === 'mock' && http2 ? ['2.0', '2.0'] : ['1.1', '1.1']);
        // Through the gateway the mock sees the gateway's keys, never the client's.
        t.deepEqual(signingKeyIds(records), [DEFAULT_CREDENTIALS.accessKeyId, DEFAULT_CREDENTIALS.accessKeyId]);
      } finally {
        await rig.close();
      }
    });
  }
}

test('langchain › a different question is not answered from the seed cassette', async (t) => {
  const flow = await readSeedFlow('stream');
  const rig = await startClientRig('mock');
  try {
    const model = chatModel(rig, flow, false).bindTools([topSongTool(flow, [])]);
    const question = flow.question.replace('WZPZ', 'WKRP');
    const error = await t.throwsAsync(round(model, [new HumanMessage(question)], true));
    t.is(error!.name, 'ValidationException');
    t.regex(error!.message, /no cassette matches converse-stream for 'cohere\.command-r-v1:0'.*seed-cohere-top-song-converse-stream\.json interaction 0 \(messages\[0\]: got .*WKRP/);
    t.like(loggedMatches(rig.mock.log.records), [{ harnessError: 'no-match', interaction: undefined, sigv4: true, status: 400 }]);
  } finally {
    await rig.close();
  }
});
