// A generated ConverseStream the fault suites break on purpose: ten WIRE-exact frames, served
// under the suite's own cassette id so its fault rules touch nothing else.
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import type { CallSpec } from './client-driver.ts';
import type { FaultTarget } from './faulted-call.ts';
import { converseBody, runtimeCassette } from './runtime-cassette.ts';
import type { SuiteContext } from './suite.ts';

/** Where the stream lives, the call that gets it, and its exact frames (for cut positions). */
export interface FaultStream {
  target: FaultTarget;
  spec: CallSpec;
  frames: Uint8Array[];
}

/** Serves (once per call; the content is fixed) and describes the stream for cassette `id`. */
export function serveFaultStream(ctx: Pick<SuiteContext, 'mock'>, id: string, timeoutMs = 15_000): FaultStream {
  const modelId = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';
  const prompt = `bedrock-conformance ${id}: count slowly`;
  const cassette = runtimeCassette({
    id, operation: 'converse-stream', modelId, prompt, seed: 3,
    answer: ['One,', ' two,', ' three,', ' four,', ' five,', ' six.'],
  });
  ctx.mock.addCassettes([cassette]);
  const events = cassette.interactions[0]!.response.events!;
  return {
    target: { cassetteId: id, interaction: 0 },
    spec: { operation: 'converse-stream', modelId, body: converseBody(prompt), timeoutMs },
    frames: events.map(eventToFrame),
  };
}
