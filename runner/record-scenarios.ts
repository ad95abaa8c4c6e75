// The client flows `record` drives, as plain values a test can list, print and filter (msw style).
import type { Cassette, CassetteRequest } from '../mock-bedrock/cassette.ts';

/** The seed how-to's tool (seeds/000_a8ead60312a2fbf7.txt), byte for byte what its boto3 client sends. */
export const TOP_SONG_TOOL = {
  toolSpec: {
    name: 'top_song',
    description: 'Get the most popular song played on a radio station.',
    inputSchema: {
      json: {
        type: 'object',
        properties: {
          sign: {
            type: 'string',
            description: 'The call sign for the radio station for which you want the most popular song. Example call signs are WZPZ and WKRP.',
          },
        },
        required: ['sign'],
      },
    },
  },
} as const;

/** What the client's `top_song` returns, by call sign; any other sign is an error result (as in the seed). */
export const TOP_SONG_ANSWERS: Readonly<Record<string, { song: string; artist: string }>> = {
  WZPZ: { song: 'Elemental Hotel', artist: '8 Storey Hike' },
};

/** A multi-round conversation driven through the AWS SDK: ask, run any tool the model calls, answer. */
export interface ConversationScenario {
  kind: 'conversation';
  id: string;
  description: string;
  operation: 'converse' | 'converse-stream';
  modelId: string;
  /** The user's opening message. */
  prompt: string;
  /** Tools offered (only `top_song` exists). */
  tools: 'top_song'[];
  /** Model turns to drive; with 2 the first must end in tool_use. */
  rounds: number;
}

/** Re-sends a cassette's recorded requests as they are, to re-record it (or round-trip it). */
export interface RequestsScenario {
  kind: 'requests';
  id: string;
  description: string;
  requests: { request: CassetteRequest; expectStatus: number }[];
}

/** Anything `record` can drive. */
export type RecordScenario = ConversationScenario | RequestsScenario;

/** The built-in flows: the seed's two-round top_song flow, streaming and not. */
export const RECORD_SCENARIOS: readonly ConversationScenario[] = [
  {
    kind: 'conversation',
    id: 'top-song-converse-stream',
    description: 'Seed flow: ConverseStream asks for top_song, the client answers, a second stream brings the final text',
    operation: 'converse-stream',
    modelId: 'cohere.command-r-v1:0',
    prompt: 'What is the most popular song on WZPZ?',
    tools: ['top_song'],
    rounds: 2,
  },
  {
    kind: 'conversation',
    id: 'top-song-converse',
    description: 'Seed flow without streaming: Converse asks for top_song, the client answers, Converse answers',
    operation: 'converse',
    modelId: 'cohere.command-r-v1:0',
    prompt: 'What is the most popular song on WZPZ?',
    tools: ['top_song'],
    rounds: 2,
  },
];

/** A scenario that re-sends every request of `cassette` and expects the statuses it recorded. */
export function scenarioFromCassette(cassette: Cassette): RequestsScenario {
  return {
    kind: 'requests',
    id: cassette.id,
    description: `Re-record of ${cassette.id}: ${cassette.description}`,
    requests: cassette.interactions.map(({ request, response }) => ({ request, expectStatus: response.status })),
  };
}

/** Picks scenarios by id: built-in flows first, then cassettes to re-record; unknown ids are an error value. */
export function selectScenarios(ids: string[], cassettes: Cassette[], modelOverride?: string):
  { ok: true; scenarios: RecordScenario[] } | { ok: false; reason: string } {
  const builtIn = RECORD_SCENARIOS.map((s) => (modelOverride ? { ...s, modelId: modelOverride } : s));
  if (ids.length === 0) return { ok: true, scenarios: builtIn };
  const scenarios: RecordScenario[] = [];
  for (const id of ids) {
    const found = builtIn.find((s) => s.id === id) ?? cassettes.find((c) => c.id === id);
    if (!found) {
      return { ok: false, reason: `unknown scenario '${id}'. Built-in: ${RECORD_SCENARIOS.map((s) => s.id).join(', ')}; or the id of a cassette in --cassettes to re-record` };
    }
    scenarios.push('kind' in found ? found : scenarioFromCassette(found));
  }
  return { ok: true, scenarios };
}
