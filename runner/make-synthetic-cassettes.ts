// (Re)writes cassettes/synthetic/ deterministically: `npx tsx runner/make-synthetic-cassettes.ts`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Cassette, CassetteInteraction, CassetteRequest, CassetteResponse } from '../mock-bedrock/cassette.ts';
import { writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { mulberry32 } from '../mock-bedrock/seeded-random.ts';
import {
  synthConverseBody, synthConverseTurn, synthErrorResponse, synthId, synthInvokeAnthropicBody,
  synthInvokeAnthropicStream, synthStreamException, synthSuccessResponse, type AnthropicTurnSpec, type ConverseTurnSpec,
} from '../mock-bedrock/synthetic-events.ts';
import { STREAM_EXCEPTION_TYPES, type Operation, type StreamExceptionType } from '../mock-bedrock/wire-constants.ts';

const GENERATOR = 'runner/make-synthetic-cassettes.ts (mock-bedrock/synthetic-events.ts)';
const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CLAUDE = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';

function cassette(id: string, seed: number, description: string, interactions: CassetteInteraction[]): Cassette {
  return { version: 1, id, description, source: { origin: 'synthetic', from: `${GENERATOR}, seed ${seed}` }, interactions };
}

const req = (operation: Operation, modelId: string, body: unknown): CassetteRequest => ({ operation, modelId, body });
const user = (text: string) => ({ role: 'user', content: [{ text }] });
const toolSpec = (name: string, description: string, properties: Record<string, unknown>, required: string[]) =>
  ({ toolSpec: { name, description, inputSchema: { json: { type: 'object', properties, required } } } });
const toolInput = (t: { inputFragments: string[] }) => JSON.parse(t.inputFragments.join(''));
/** The assistant message a client rebuilds from a stream (Converse shape, toolUseId/name/input order). */
const streamedAssistant = (turn: ConverseTurnSpec) => ({ role: 'assistant', content: [
  ...(turn.text ? [{ text: turn.text.join('') }] : []),
  ...(turn.toolUses ?? []).map((t) => ({ toolUse: { toolUseId: t.id, name: t.name, input: toolInput(t) } })),
] });
const toolResults = (results: [string, unknown][]) =>
  ({ role: 'user', content: results.map(([toolUseId, json]) => ({ toolResult: { toolUseId, content: [{ json }] } })) });
const streamed = (op: Operation, seed: number, events: CassetteResponse['events']) => synthSuccessResponse(op, seed, { events: events! });

/** (a) The seed how-to: boto3 `converse_stream` (and a `converse` twin) with the `top_song` tool. */
function seedFlow(): Cassette[] {
  const model = 'cohere.command-r-v1:0';
  const toolConfig = { tools: [toolSpec('top_song', 'Get the most popular song played on a radio station.', {
    sign: { type: 'string', description: 'The call sign for the radio station for which you want the most popular song. Example call signs are WZPZ and WKRP.' },
  }, ['sign'])] };
  const question = user('What is the most popular song on WZPZ?');
  const tool = { name: 'top_song', id: synthId(1001), inputFragments: ['', '{"sign": ', '"WZPZ"}'] };
  const round1: ConverseTurnSpec = {
    seed: 1001, text: ['I will search for', ' the most popular song', ' on WZPZ and relay', ' this information to the user.'],
    toolUses: [tool], stopReason: 'tool_use', usage: { inputTokens: 49, outputTokens: 42 },
  };
  const round2: ConverseTurnSpec = {
    seed: 1002, text: ['The most popular song', ' on WZPZ is', ' Elemental Hotel', ' by 8 Storey', ' Hike.'],
    stopReason: 'end_turn', usage: { inputTokens: 112, outputTokens: 17 },
  };
  const result = toolResults([[tool.id, { song: 'Elemental Hotel', artist: '8 Storey Hike' }]]);
  // boto3 sends dicts in insertion order: the seed script builds its message as content, then role;
  // a boto3 `converse` client appends output.message as parsed, in model member order (role, content).
  // Both give toolUse as toolUseId, name, input. Checked against boto3 1.43 sending to a loopback replay.
  const converseAssistant = streamedAssistant(round1);
  const { role, content } = converseAssistant;
  const describe = (op: string) => `Seed flow (shared/seeds/000_a8ead60312a2fbf7.txt) over ${op}: ${model} asks for top_song {"sign": "WZPZ"}, then answers with the song.`;
  return [
    cassette('seed-cohere-top-song-converse-stream', 1001, describe('converse-stream'), [
      { request: req('converse-stream', model, { messages: [question], toolConfig }), response: streamed('converse-stream', 1001, synthConverseTurn(round1)) },
      { request: req('converse-stream', model, { messages: [question, { content, role }, result], toolConfig }), response: streamed('converse-stream', 1002, synthConverseTurn(round2)) },
    ]),
    cassette('seed-cohere-top-song-converse', 1001, describe('converse'), [
      { request: req('converse', model, { messages: [question], toolConfig }), response: synthSuccessResponse('converse', 1001, { json: synthConverseBody(round1) }) },
      { request: req('converse', model, { messages: [question, converseAssistant, result], toolConfig }), response: synthSuccessResponse('converse', 1002, { json: synthConverseBody(round2) }) },
    ]),
  ];
}

/** A two-round Converse stream tool flow: ask, call the tools, send every result back, answer. */
function toolFlow(id: string, seed: number, model: string, description: string, prompt: string, tools: unknown[],
  round1: ConverseTurnSpec, results: unknown[], round2: ConverseTurnSpec): Cassette {
  const toolConfig = { tools };
  const back = toolResults((round1.toolUses ?? []).map((t, i) => [t.id, results[i]]));
  return cassette(id, seed, description, [
    { request: req('converse-stream', model, { messages: [user(prompt)], toolConfig }), response: streamed('converse-stream', round1.seed, synthConverseTurn(round1)) },
    { request: req('converse-stream', model, { messages: [user(prompt), streamedAssistant(round1), back], toolConfig }), response: streamed('converse-stream', round2.seed, synthConverseTurn(round2)) },
  ]);
}

const weatherTool = toolSpec('get_current_weather', 'Get the current weather in a given city.', {
  city: { type: 'string', description: 'The name of the city' },
  unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
}, ['city']);

/** (b) Claude, (c) Nova (whole tool input in one delta, <thinking> text), (d) two parallel tool calls. */
function toolFlows(): Cassette[] {
  const lisbon = { name: 'get_current_weather', id: synthId(2001), inputFragments: ['', '{"city": "Lis', 'bon", "unit": "celsius"}'] };
  const fx = { name: 'get_exchange_rate', id: synthId(3001), inputFragments: ['{"base":"EUR","quote":"USD"}'] };
  const paris = { name: 'get_current_weather', id: synthId(4001), inputFragments: ['', '{"city": "Paris"}'] };
  const tokyo = { name: 'get_current_weather', id: synthId(4002), inputFragments: ['', '{"ci', 'ty": "Tok', 'yo"}'] };
  return [
    toolFlow('claude-weather-converse-stream', 2001, CLAUDE, 'Claude 3.5 Sonnet over converse-stream: one get_current_weather call (input streamed in fragments after an empty first delta), then the answer.',
      "What's the weather in Lisbon right now?", [weatherTool],
      { seed: 2001, text: ["I'll check the current", ' weather in Lisbon for you.'], toolUses: [lisbon], stopReason: 'tool_use', usage: { inputTokens: 402, outputTokens: 71 }, serviceTier: 'default' },
      [{ temperature: 21, unit: 'celsius', conditions: 'sunny' }],
      { seed: 2002, text: ['It is', ' currently 21 °C', ' and sunny in', ' Lisbon.'], stopReason: 'end_turn', usage: { inputTokens: 498, outputTokens: 16 }, serviceTier: 'default' }),
    toolFlow('nova-exchange-rate-converse-stream', 3001, 'us.amazon.nova-lite-v1:0', 'Nova Lite over converse-stream: <thinking> text in the text block, the whole tool input in one delta (no empty first delta), then the answer.',
      'How many US dollars is one euro today?', [toolSpec('get_exchange_rate', 'Get the exchange rate between two currencies.', {
        base: { type: 'string' }, quote: { type: 'string' } }, ['base', 'quote'])],
      { seed: 3001, text: ['<thinking', '>', ' The user wants', ' the EUR to USD', ' rate. I will use', ' the get_exchange_rate tool.', '</', 'thinking', '>\n'], toolUses: [fx], stopReason: 'tool_use', usage: { inputTokens: 388, outputTokens: 58 } },
      [{ rate: 1.0842 }],
      { seed: 3002, text: ['One euro', ' is currently', ' worth about', ' 1.08 US', ' dollars.'], stopReason: 'end_turn', usage: { inputTokens: 471, outputTokens: 14 } }),
    toolFlow('claude-parallel-tools-converse-stream', 4001, 'us.anthropic.claude-3-7-sonnet-20250219-v1:0', 'Claude 3.7 Sonnet over converse-stream: two toolUse blocks in one turn (indexes 1 and 2), both results sent back in one user message, then the answer.',
      'Compare the weather in Paris and Tokyo right now.', [weatherTool],
      { seed: 4001, text: ["I'll look up both", ' cities at once.'], toolUses: [paris, tokyo], stopReason: 'tool_use', usage: { inputTokens: 415, outputTokens: 112 }, serviceTier: 'default' },
      [{ temperature: 14, conditions: 'cloudy' }, { temperature: 26, conditions: 'clear' }],
      { seed: 4002, text: ['Paris is cloudy', ' at 14 °C,', ' while Tokyo is', ' clear and warmer', ' at 26 °C.'], stopReason: 'end_turn', usage: { inputTokens: 560, outputTokens: 27 }, serviceTier: 'default' }),
  ];
}

/** Text whose UTF-8 has 2-, 3- and 4-byte characters; `|` marks forced delta cuts inside grapheme clusters. */
const MULTIBYTE = [
  'Greetings in many scripts 👋🏽\n', '日本語: こんにちは、世界。東京は今日も晴れです。\n', '中文: 你好，世界！今天天气很好。\n',
  '한국어: 안녕하세요, 세계! 오늘 날씨가 좋네요.\n', 'Français: café crème, façade, e|\u0301te\u0301 (combining acute).\n',
  'Deutsch: Grüße aus Köln, a|\u0308 o\u0308 u\u0308 (combining diaeresis).\n', 'Tiếng Việt: Xin chào thế giới, phở bò.\n',
  'العربية: مرحبا بالعالم\n', 'हिन्दी: नमस्ते दुनिया\n', 'Ελληνικά: Καλημέρα κόσμε. Русский: Привет, мир!\n',
  'Emoji: family 👨\u200d|👩\u200d👧\u200d👦, flags 🇯|🇵🇫🇷, skin tones 👍|🏿👍🏻, keycap 1\ufe0f|\u20e3, rainbow 🏳\ufe0f\u200d🌈.\n',
  'Math: 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ∀x∈ℝ: x² ≥ 0, ∑ 𝑖 = 𝑛(𝑛+1)/2.\n', 'Zalgo: Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇ — fin. 🎉✨🚀',
].join('');

/** Cuts text into 1..6 code-point deltas (seeded), plus every forced `|` cut. */
function multibyteDeltas(seed: number): string[] {
  const random = mulberry32(seed);
  return MULTIBYTE.split('|').flatMap((part) => {
    const points = [...part];
    const out: string[] = [];
    for (let i = 0; i < points.length;) {
      const n = 1 + Math.floor(random() * 6);
      out.push(points.slice(i, i + n).join(''));
      i += n;
    }
    return out;
  });
}

/** (e) A long single-turn stream full of multi-byte UTF-8, cut inside grapheme clusters. */
function multibyteFlow(): Cassette {
  const turn: ConverseTurnSpec = { seed: 5001, text: multibyteDeltas(5001), stopReason: 'end_turn', usage: { inputTokens: 31, outputTokens: 402 }, serviceTier: 'default' };
  return cassette('claude-multibyte-long-text-converse-stream', 5001,
    'Claude over converse-stream: a long answer in many scripts (CJK, Hangul, Arabic, Devanagari, combining marks, ZWJ emoji, flags, astral math letters); deltas cut between code points of one grapheme.',
    [{ request: req('converse-stream', CLAUDE, { messages: [user('Greet the world in as many scripts as you can, with emoji.')] }), response: streamed('converse-stream', 5001, synthConverseTurn(turn)) }]);
}

const EXCEPTION_MESSAGES: Record<StreamExceptionType, string> = {
  internalServerException: 'The system encountered an unexpected error during processing. Try your request again.',
  modelStreamErrorException: 'The model stream was interrupted by an error. Try your request again.',
  serviceUnavailableException: 'Bedrock is unable to process your request.',
  throttlingException: 'Too many tokens, please wait before trying again.',
  validationException: 'The model returned the following errors: the output violated a constraint.',
};

/** (f) One cassette per mid-stream exception: a few events, then the exception frame, nothing after. */
function exceptionFlows(): Cassette[] {
  return STREAM_EXCEPTION_TYPES.map((type, i) => {
    const seed = 6001 + i;
    const events = synthConverseTurn({ seed, text: ['One,', ' two,', ' three,'], stopReason: 'end_turn', usage: { inputTokens: 20, outputTokens: 9 } }).slice(0, 4);
    events.push(synthStreamException(type, EXCEPTION_MESSAGES[type], events[3]!.at + 20));
    const slug = type.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return cassette(`mid-stream-${slug}`, seed, `converse-stream that fails after three text deltas with a ${type} frame (:message-type exception).`,
      [{ request: req('converse-stream', CLAUDE, { messages: [user(`Count slowly from one to twenty. [mid-stream ${type}]`)] }), response: streamed('converse-stream', seed, events) }]);
  });
}

/** (g) A model id Bedrock does not know: 400 ValidationException before any stream starts. */
function invalidModel(): Cassette {
  const body = { messages: [user('Hello from the invalid model id check.')] };
  const error = (seed: number) => synthErrorResponse('ValidationException', 'The provided model identifier is invalid.', seed);
  return cassette('invalid-model-error', 7001, 'An unknown model id answered with 400 ValidationException on both converse-stream and converse (plain JSON, no stream).', [
    { request: req('converse-stream', 'does-not-exist.model-v1:0', body), response: error(7001) },
    { request: req('converse', 'does-not-exist.model-v1:0', body), response: error(7002) },
  ]);
}

/** (h) Anthropic's native Messages API through invoke-with-response-stream and invoke, two rounds each. */
function invokeFlows(): Cassette[] {
  const tool = { name: 'get_current_weather', id: synthId(8001, 'toolu_bdrk_01', 22, BASE62), inputFragments: ['', '{"city": "Sea', 'ttle"}'] };
  const round1: AnthropicTurnSpec = { seed: 8001, model: 'claude-3-5-sonnet-20240620', messageId: synthId(8001, 'msg_bdrk_01', 22, BASE62),
    text: ['I will check', ' the weather in Seattle.'], toolUses: [tool], stopReason: 'tool_use', usage: { inputTokens: 377, outputTokens: 64 } };
  const round2: AnthropicTurnSpec = { seed: 8002, model: 'claude-3-5-sonnet-20240620', messageId: synthId(8002, 'msg_bdrk_01', 22, BASE62),
    text: ['Seattle is', ' 11 °C with', ' light rain.'], stopReason: 'end_turn', usage: { inputTokens: 468, outputTokens: 15 } };
  const first = { role: 'user', content: [{ type: 'text', text: 'What is the weather in Seattle?' }] };
  const assistant = { role: 'assistant', content: (synthInvokeAnthropicBody(round1) as { content: unknown[] }).content };
  const result = { role: 'user', content: [{ type: 'tool_result', tool_use_id: tool.id, content: '{"temperature": 11, "conditions": "light rain"}' }] };
  const tools = [{ name: 'get_current_weather', description: 'Get the current weather in a given city.', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
  const body = (messages: unknown[]) => ({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 1024, tools, messages });
  const stream = (spec: AnthropicTurnSpec) => streamed('invoke-with-response-stream', spec.seed, synthInvokeAnthropicStream(spec));
  const plain = (spec: AnthropicTurnSpec) => synthSuccessResponse('invoke', spec.seed, { json: synthInvokeAnthropicBody(spec) });
  return [
    cassette('claude-invoke-stream-tool-use', 8001, 'Claude through invoke-with-response-stream (Anthropic Messages events base64 in chunk frames): tool_use round, then the answer.', [
      { request: req('invoke-with-response-stream', CLAUDE, body([first])), response: stream(round1) },
      { request: req('invoke-with-response-stream', CLAUDE, body([first, assistant, result])), response: stream(round2) },
    ]),
    cassette('claude-invoke-tool-use', 8001, 'Claude through invoke (one JSON body per round): tool_use round, then the answer.', [
      { request: req('invoke', CLAUDE, body([first])), response: plain(round1) },
      { request: req('invoke', CLAUDE, body([first, assistant, result])), response: plain(round2) },
    ]),
  ];
}

/** Every synthetic cassette, built from fixed seeds: same code, same bytes. */
export function syntheticCassettes(): Cassette[] {
  return [...seedFlow(), ...toolFlows(), multibyteFlow(), ...exceptionFlows(), invalidModel(), ...invokeFlows()];
}

/** Writes them all into `dir` (one `<id>.json` each). */
export async function writeSyntheticCassettes(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const c of syntheticCassettes()) {
    const file = path.join(dir, `${c.id}.json`);
    await writeCassetteFile(file, c);
    files.push(file);
  }
  return files;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? path.join('cassettes', 'synthetic');
  for (const file of await writeSyntheticCassettes(dir)) process.stdout.write(`wrote ${file}\n`);
}
