// Cassettes a suite makes while it runs: any model id, any prompt, a distinct WIRE-exact answer.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { synthConverseBody, synthConverseTurn, synthSuccessResponse, type ConverseTurnSpec } from '../mock-bedrock/synthetic-events.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';

/** What one runtime interaction answers: a Converse call (stream or not) with this prompt. */
export interface RuntimeCase {
  id: string;
  operation: Extract<Operation, 'converse' | 'converse-stream'>;
  modelId: string;
  /** The user's text; it must differ between cases so each request finds its own answer. */
  prompt: string;
  /** The answer's text deltas; joined, they are what the client must receive. */
  answer: string[];
  seed: number;
}

/** A Converse request body holding `prompt` as the only user message. */
export function converseBody(prompt: string): { messages: { role: 'user'; content: { text: string }[] }[]; inferenceConfig: { maxTokens: number } } {
  return { messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 256 } };
}

/** A one-interaction synthetic cassette answering `c` (end_turn, the answer as text deltas). */
export function runtimeCassette(c: RuntimeCase): Cassette {
  const turn: ConverseTurnSpec = {
    text: c.answer, stopReason: 'end_turn', seed: c.seed,
    usage: { inputTokens: 10 + (c.seed % 50), outputTokens: c.answer.length },
  };
  const body = c.operation === 'converse-stream' ? { events: synthConverseTurn(turn) } : { json: synthConverseBody(turn) };
  return {
    version: 1,
    id: c.id,
    description: `Made at run time by a conformance suite for ${c.operation} on ${c.modelId}`,
    source: { origin: 'synthetic', from: 'suites/runtime-cassette.ts (generated during the run)' },
    interactions: [{
      request: { operation: c.operation, modelId: c.modelId, body: converseBody(c.prompt) },
      response: synthSuccessResponse(c.operation, c.seed, body),
    }],
  };
}

/** The answer text the client assembled: the Converse output's text, or the stream's text deltas. */
export function answerText(output: unknown, events: readonly { type: string; value: unknown }[]): string {
  if (events.length > 0) {
    return events
      .filter((e) => e.type === 'contentBlockDelta')
      .map((e) => (e.value as { delta?: { text?: string } })?.delta?.text ?? '')
      .join('');
  }
  const content = (output as { output?: { message?: { content?: { text?: string }[] } } })?.output?.message?.content ?? [];
  return content.map((block) => block.text ?? '').join('');
}
