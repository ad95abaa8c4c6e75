// The AWS SDK load client over HTTP/1.1 keep-alive, as users run it, and the flow check every client kind shares.
import { Agent } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { BedrockRuntimeClient, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import type { SeedRound } from './seed-flow.ts';

// The SDK's Node 20 end-of-support notice would print once per client thread and bury the results.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** A Bedrock client for `endpoint` with `maxSockets` keep-alive sockets and no retries. */
export function benchClient(endpoint: string, maxSockets: number, headers: Record<string, string> = {}): BedrockRuntimeClient {
  const client = new BedrockRuntimeClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...DEFAULT_CREDENTIALS },
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets }) }),
  });
  if (Object.keys(headers).length > 0) {
    client.middlewareStack.add((next) => (args) => {
      Object.assign((args.request as { headers: Record<string, string> }).headers, headers);
      return next(args);
    }, { step: 'build', name: 'benchExtraHeaders' });
  }
  return client;
}

/** What one streamed round carried: its text and its tool call, if any. */
export interface RoundOutcome {
  text: string;
  toolUse?: { name: string; toolUseId: string; input: unknown };
}

/** Sends one round and reads its stream to the end. */
export async function streamRound(client: BedrockRuntimeClient, round: SeedRound): Promise<RoundOutcome> {
  const out = await client.send(new ConverseStreamCommand({ modelId: round.modelId, ...round.body } as never));
  let text = '';
  let input = '';
  let tool: { name: string; toolUseId: string } | undefined;
  for await (const event of out.stream!) {
    const delta = event.contentBlockDelta?.delta;
    text += delta?.text ?? '';
    input += delta?.toolUse?.input ?? '';
    const start = event.contentBlockStart?.start?.toolUse;
    if (start) tool = { name: start.name!, toolUseId: start.toolUseId! };
  }
  return tool ? { text, toolUse: { ...tool, input: input === '' ? undefined : JSON.parse(input) } } : { text };
}

/** What the load loop needs of a client, whichever kind: stream one round (throwing on failure), close. */
export interface FlowClient {
  streamRound(round: SeedRound): Promise<RoundOutcome>;
  destroy(): void;
}

/** The AWS SDK behind the FlowClient interface. */
export function sdkFlowClient(client: BedrockRuntimeClient): FlowClient {
  return { streamRound: (round) => streamRound(client, round), destroy: () => client.destroy() };
}

/** One two-round flow; a wrong answer is a value, so the bench counts it instead of crashing. */
export async function runFlow(client: FlowClient, rounds: SeedRound[]): Promise<{ ok: true } | { ok: false; reason: string }> {
  for (const [i, round] of rounds.entries()) {
    let got: RoundOutcome;
    try {
      got = await client.streamRound(round);
    } catch (error) {
      return { ok: false, reason: `round ${i + 1}: ${(error as Error).name}: ${(error as Error).message}` };
    }
    const want = round.expected;
    const toolOk = want.toolUse === undefined
      ? got.toolUse === undefined
      : got.toolUse?.name === want.toolUse.name && isDeepStrictEqual(got.toolUse.input, want.toolUse.input);
    if (got.text !== want.text || !toolOk) {
      return { ok: false, reason: `round ${i + 1}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}` };
    }
  }
  return { ok: true };
}
