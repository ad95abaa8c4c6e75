// Cassette matching against the request bodies real clients send for the seed flow's two rounds
// (boto3 as recorded; the Vercel AI SDK and LangChain as observed on the wire): each still finds
// its recorded answer, while a different question, tool input or tool result never does, and a
// miss names the interaction that is really closest.
import test from 'ava';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { loadCassettes } from '../mock-bedrock/cassette-load.ts';
import { conversationKey } from '../mock-bedrock/conversation-key.ts';
import { indexInteractions, matchInteraction, type IndexedInteraction, type MatchResult } from '../mock-bedrock/request-match.ts';
import { SEED_CASSETTE_IDS } from './support/client-flow-fixture.ts';
import { REPO_ROOT } from './shared-paths.ts';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);

type Json = Record<string, any>;
type Body = { messages: Json[] } & Json;

const loaded = loadCassettes(join(REPO_ROOT, 'cassettes'));

/** Every shipped interaction, and the seed cassette's recorded round bodies. */
async function seedIndex(): Promise<{ index: IndexedInteraction[]; rounds: Body[]; modelId: string }> {
  const { cassettes } = await loaded;
  const seed = cassettes.find((c) => c.id === SEED_CASSETTE_IDS.plain)!;
  return { index: indexInteractions(cassettes), rounds: seed.interactions.map((i) => i.request.body as Body), modelId: seed.interactions[0]!.request.modelId };
}

const clone = <T>(value: T): T => structuredClone(value);

/** Rewrites every toolResult's content items with `f`. */
function mapResults(body: Body, f: (item: Json) => Json): Body {
  const out = clone(body);
  for (const m of out.messages) for (const b of m.content) if (b.toolResult) b.toolResult.content = b.toolResult.content.map(f);
  return out;
}

const asJsonText = (item: Json): Json => ('json' in item ? { text: JSON.stringify(item.json) } : item);

/** The AI SDK's shape: `system: []`, toolChoice inside toolConfig, tool results as JSON text. */
function aiSdkBody(recorded: Body): Body {
  const body = mapResults(recorded, asJsonText);
  return { system: [], messages: body.messages, toolConfig: { ...body.toolConfig, toolChoice: { auto: {} } } };
}

/** LangChain's shape with its options on: inference settings, extra fields, prompt-cache points. */
function langchainBody(recorded: Body): Body {
  const body = mapResults(recorded, asJsonText);
  body.messages.at(-1)!.content.push({ cachePoint: { type: 'default' } });
  return {
    ...body,
    system: [{ text: 'You are a radio assistant.' }, { cachePoint: { type: 'default' } }],
    inferenceConfig: { maxTokens: 512, temperature: 0 },
    additionalModelRequestFields: { top_k: 1 },
  };
}

/** Tool results as pretty-printed JSON text with the keys in another order. */
function prettyTextBody(recorded: Body): Body {
  return mapResults(recorded, (item) => ('json' in item ? { text: JSON.stringify(Object.fromEntries(Object.entries(item.json).reverse()), null, 2) } : item));
}

const SAME_CONVERSATION: [string, (b: Body) => Body][] = [
  ['boto3 (as recorded)', clone],
  ['AI SDK', aiSdkBody],
  ['LangChain with options', langchainBody],
  ['pretty-printed tool result text', prettyTextBody],
];

function matched(result: MatchResult): [string, number] | string {
  return result.ok ? [result.found.cassette.id, result.found.index] : result.reason;
}

for (const [client, shape] of SAME_CONVERSATION) {
  test(`client body matching › ${client} bodies match both seed rounds`, async (t) => {
    const { index, rounds, modelId } = await seedIndex();
    for (const [i, recorded] of rounds.entries()) {
      t.deepEqual(matched(matchInteraction(index, { operation: 'converse', modelId, body: shape(recorded) })), [SEED_CASSETTE_IDS.plain, i]);
    }
  });
}

/** Edits that make a genuinely different conversation, applied to round two. */
const DIFFERENT_CONVERSATION: [string, (b: Body) => Body, RegExp][] = [
  ['a different question', (b) => { const o = clone(b); o.messages[0]!.content[0].text = 'What is the most popular song on WKRP?'; return o; }, /messages\[0\]: got .*WKRP/],
  ['a different tool input', (b) => { const o = clone(b); o.messages[1]!.content[1].toolUse.input.sign = 'WKRP'; return o; }, /messages\[1\]: got .*WKRP/],
  ['a different song as json', (b) => mapResults(b, (item) => ({ json: { ...item.json, song: 'Another Song' } })), /messages\[2\]: got .*Another Song/],
  ['a different song as JSON text', (b) => mapResults(b, (item) => ({ text: JSON.stringify({ ...item.json, song: 'Another Song' }) })), /messages\[2\]: got .*Another Song/],
  ['the result as prose', (b) => mapResults(b, () => ({ text: 'Elemental Hotel by 8 Storey Hike' })), /messages\[2\]: got .*Elemental Hotel by 8 Storey Hike/],
  ['the result JSON-encoded twice', (b) => mapResults(b, (item) => ({ text: JSON.stringify(JSON.stringify(item.json)) })), /messages\[2\]: got/],
  ['the result marked as an error', (b) => { const o = clone(b); o.messages[2]!.content[0].toolResult.status = 'error'; return o; }, /messages\[2\]: got .*"error":true/],
];

for (const [what, edit, shows] of DIFFERENT_CONVERSATION) {
  test(`client body matching › ${what} is no match, and the miss names round two`, async (t) => {
    const { index, rounds, modelId } = await seedIndex();
    for (const shape of [clone, aiSdkBody, langchainBody]) {
      const result = matchInteraction(index, { operation: 'converse', modelId, body: edit(shape(rounds[1]!)) });
      t.false(result.ok);
      if (result.ok) continue;
      // Round one differs only in message count too; the closest is the round sharing the most messages.
      t.regex(result.reason, /Closest: \S*seed-cohere-top-song-converse\.json interaction 1 \(/);
      t.regex(result.reason, shows);
    }
  });
}

test('client body matching › a request for another model names the same conversation as closest', async (t) => {
  const { index, rounds, modelId } = await seedIndex();
  t.not(modelId, 'cohere.command-r-plus-v1:0', 'the request names another model than the recording');
  const result = matchInteraction(index, { operation: 'converse', modelId: 'cohere.command-r-plus-v1:0', body: aiSdkBody(rounds[1]!) });
  t.false(result.ok);
  if (!result.ok) t.regex(result.reason, /Closest: \S*seed-cohere-top-song-converse\.json interaction 1 \(model id: got 'cohere\.command-r-plus-v1:0'/);
});

test('client body matching › a tool result as json or as its JSON text is one conversation, and different values are not', (t) => {
  t.log(`seed=${SEED}`);
  const body = (item: Json) => ({ messages: [{ role: 'user', content: [{ toolResult: { toolUseId: 'x', content: [item] } }] }] });
  // Independent oracle: the values are equal after a JSON round trip (key order does not count).
  const equal = (v: unknown, w: unknown) => isDeepStrictEqual(JSON.parse(JSON.stringify(v)), JSON.parse(JSON.stringify(w)));
  // Half the time w is v with every object's keys reversed: the same value, printed differently.
  const reordered = (v: unknown): unknown => (Array.isArray(v) ? v.map(reordered)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reordered(x)])) : v);
  const pair = fc.jsonValue().chain((v) => fc.tuple(fc.constant(v), fc.oneof(fc.jsonValue(), fc.constant(reordered(v)))));
  fc.assert(fc.property(pair, ([v, w]) => {
    const key = conversationKey(body({ json: v }));
    if (key !== conversationKey(body({ text: JSON.stringify(v) }))) return false;
    const sameKey = [conversationKey(body({ json: w })), conversationKey(body({ text: JSON.stringify(w) }))].map((k) => k === key);
    return sameKey.every((same) => same === equal(v, w));
  }), { seed: SEED, numRuns: 300 });
  t.pass();
});
