// The seed two-round flow every benchmark drives: what each round sends, and the frames it gets back.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';

/** The repository root, found from this file so a clone anywhere works. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shipped cassettes the mock serves, as users run it. */
export const CASSETTES_DIR = join(REPO_ROOT, 'cassettes');

/** The seed flow: round 1 = interaction 0, round 2 = interaction 1. */
export const SEED_CASSETTE = join(CASSETTES_DIR, 'synthetic', 'seed-cohere-top-song-converse-stream.json');

/** One round: the request the client sends, the recorded answer, and what a client must read from it. */
export interface SeedRound {
  modelId: string;
  body: Record<string, unknown>;
  status: number;
  headers: [string, string][];
  frames: Uint8Array[];
  expected: { text: string; toolUse?: { name: string; toolUseId: string; input: unknown } };
}

interface EventJson {
  delta?: { text?: string; toolUse?: { input?: string } };
  start?: { toolUse?: { name: string; toolUseId: string } };
}

function expectedOf(events: { headers: Record<string, unknown>; json?: unknown }[]): SeedRound['expected'] {
  let text = '';
  let input = '';
  let tool: { name: string; toolUseId: string } | undefined;
  for (const event of events) {
    const json = (event.json ?? {}) as EventJson;
    text += json.delta?.text ?? '';
    input += json.delta?.toolUse?.input ?? '';
    if (json.start?.toolUse) tool = json.start.toolUse;
  }
  return tool ? { text, toolUse: { ...tool, input: JSON.parse(input) } } : { text };
}

/** Reads the seed cassette; throws with the validator's messages if it is broken. */
export async function loadSeedFlow(file = SEED_CASSETTE): Promise<SeedRound[]> {
  const read = await readCassetteFile(file);
  if (!read.ok) throw new Error(`cannot load the seed cassette:\n${read.errors.join('\n')}`);
  return read.cassette.interactions.slice(0, 2).map(({ request, response }) => ({
    modelId: request.modelId,
    body: request.body as Record<string, unknown>,
    status: response.status,
    headers: response.headers,
    frames: (response.events ?? []).map(eventToFrame),
    expected: expectedOf(response.events ?? []),
  }));
}
