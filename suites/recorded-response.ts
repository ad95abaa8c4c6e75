// What a cassette says the client should see: its events and bodies in the shape a driver reports,
// so recorded and observed responses go through the same reassembly and comparison.
import type { Cassette, CassetteEvent, CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { payloadFromCassette } from '../mock-bedrock/event-codec.ts';
import { STREAMING_OPERATIONS } from '../mock-bedrock/wire-constants.ts';
import { assembleTurn, toolCalls, type SeenResponse, type TurnResult } from './assistant-turn.ts';
import type { ObservedEvent } from './client-driver.ts';

/** An event frame's payload as JSON (undefined when it is not JSON). */
export function eventPayload(event: CassetteEvent): unknown {
  try {
    return JSON.parse(Buffer.from(payloadFromCassette(event)).toString('utf8'));
  } catch {
    return undefined;
  }
}

/** True when every frame is an ordinary event (no exception or error frames). */
export function onlyEvents(interaction: CassetteInteraction): boolean {
  return (interaction.response.events ?? []).every((e) => e.headers[':message-type'] === 'event');
}

/** The recorded response as a driver would report it (`chunk` payloads keep their base64 bytes). */
export function recordedSeen(interaction: CassetteInteraction): SeenResponse & { events: ObservedEvent[] } {
  const { events, json, text } = interaction.response;
  const seen = (events ?? []).filter((e) => e.headers[':message-type'] === 'event').map((e) => ({
    t: e.at, type: String(e.headers[':event-type']), value: eventPayload(e),
  }));
  let output = json;
  if (output === undefined && text !== undefined) {
    try { output = JSON.parse(text); } catch { output = text; }
  }
  return { events: seen, output };
}

/** The recorded assistant turn of one interaction. */
export function recordedTurn(interaction: CassetteInteraction): TurnResult {
  return assembleTurn(interaction.request.operation, recordedSeen(interaction));
}

/** A recorded response header, looked up case-insensitively. */
export function recordedHeader(interaction: CassetteInteraction, name: string): string | undefined {
  return interaction.response.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
}

/** Whether the interaction's recorded answer is a successful event stream. */
export function isSuccessfulStream(interaction: CassetteInteraction): boolean {
  return STREAMING_OPERATIONS.includes(interaction.request.operation) && interaction.response.status === 200 && (interaction.response.events?.length ?? 0) > 0;
}

/** How many tool calls the first round of a cassette asks for (0 when it is no tool-use flow). */
export function recordedToolCallCount(cassette: Cassette): number {
  const first = cassette.interactions[0];
  if (!first || first.response.status !== 200) return 0;
  const turn = recordedTurn(first);
  return turn.ok ? toolCalls(turn.turn).length : 0;
}

/**
 * Cassettes that hold a two-round tool-use flow the runner can drive: two recorded requests, a
 * first answer asking for tools, no cassette-level faults. The seed flow comes first.
 */
export function twoRoundToolCassettes(cassettes: readonly Cassette[]): Cassette[] {
  const flows = cassettes.filter((c) =>
    c.interactions.length >= 2 && !c.faults && c.interactions[0]!.request.body != null && c.interactions[1]!.request.body != null
    && onlyEvents(c.interactions[0]!) && onlyEvents(c.interactions[1]!) && recordedToolCallCount(c) > 0);
  const seedFirst = (c: Cassette) => (c.id.startsWith('seed') ? 0 : 1);
  return [...flows].sort((a, b) => seedFirst(a) - seedFirst(b));
}
