// fast-check values for the SigV4 re-signing property: model id forms, bodies, client credential kinds.
import fc from 'fast-check';

/** How the client authenticates to the gateway (the gateway must re-sign all of them). */
export const CREDENTIAL_KINDS = ['long-term', 'temporary', 'bearer'] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/** The prompt text: short (any unicode) or large (a unit repeated to about `kb` KiB). */
export type PromptSpec = { kind: 'short'; text: string } | { kind: 'large'; unit: string; kb: number };

/** One generated request shape. */
export interface Sigv4Case {
  operation: 'converse' | 'converse-stream';
  modelId: string;
  prompt: PromptSpec;
  credential: CredentialKind;
}

/** The model id forms WIRE.md names: a `:` version, a cross-region profile, an ARN with `/`. */
export const NAMED_MODEL_IDS = [
  'cohere.command-r-v1:0',
  'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
  'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123',
] as const;

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,15}$/);

/** `{profile.}provider.name:suffix(:suffix)*` with random suffixes that may hold `.`, `_` and `-`. */
const generatedModelId = fc.record({
  profile: fc.constantFrom('', 'us.', 'eu.', 'apac.'),
  provider: fc.constantFrom('amazon', 'anthropic', 'cohere', 'meta', 'mistral'),
  name: segment,
  suffixes: fc.array(fc.stringMatching(/^[A-Za-z0-9._-]{1,8}$/), { minLength: 1, maxLength: 3 }),
}).map(({ profile, provider, name, suffixes }) => `${profile}${provider}.${name}:${suffixes.join(':')}`);

const arnModelId = fc.record({
  region: fc.constantFrom('us-west-2', 'us-east-1'),
  account: fc.stringMatching(/^\d{12}$/),
  kind: fc.constantFrom('application-inference-profile', 'inference-profile', 'provisioned-model', 'foundation-model'),
  id: fc.stringMatching(/^[a-z0-9][a-z0-9.:-]{0,20}$/),
}).map(({ region, account, kind, id }) => `arn:aws:bedrock:${region}:${account}:${kind}/${id}`);

/** Short unicode prompts, and now and then one of 150-220 KiB. */
export const promptArbitrary: fc.Arbitrary<PromptSpec> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((text): PromptSpec => ({ kind: 'short', text })) },
  { weight: 1, arbitrary: fc.record({ unit: fc.constantFrom('a', 'é', '中', '😀', 'a "q" \\ ü\n'), kb: fc.integer({ min: 150, max: 220 }) })
    .map(({ unit, kb }): PromptSpec => ({ kind: 'large', unit, kb })) },
);

/** Model ids in every form WIRE.md names: named ones, generated `provider.name:version` ids, ARNs. */
export const modelIdArbitrary: fc.Arbitrary<string> = fc.oneof(fc.constantFrom(...NAMED_MODEL_IDS), generatedModelId, arnModelId);

/** Generated cases: named and generated model ids, ARNs, unicode and ~200 KB bodies, every credential kind. */
export const sigv4CaseArbitrary: fc.Arbitrary<Sigv4Case> = fc.record({
  operation: fc.constantFrom('converse' as const, 'converse-stream' as const),
  modelId: modelIdArbitrary,
  prompt: promptArbitrary,
  credential: fc.constantFrom(...CREDENTIAL_KINDS),
});

/** The named model ids with every credential kind, then a ~200 KiB emoji body: run before the generated cases. */
export const SIGV4_EXAMPLES: Sigv4Case[] = [
  ...NAMED_MODEL_IDS.flatMap((modelId) =>
    CREDENTIAL_KINDS.map((credential): Sigv4Case => ({ operation: 'converse', modelId, credential, prompt: { kind: 'short', text: 'héllo 世界 🙂' } }))),
  { operation: 'converse-stream', modelId: NAMED_MODEL_IDS[2], credential: 'temporary', prompt: { kind: 'large', unit: '😀', kb: 200 } },
];

/** What a set of cases covered, in words (so a pass message claims only what ran). */
export function describeCoverage(cases: readonly Sigv4Case[]): string {
  const count = (pick: (c: Sigv4Case) => boolean) => cases.filter(pick).length;
  const kinds = CREDENTIAL_KINDS.map((k) => `${k} ${count((c) => c.credential === k)}`).join(', ');
  return `${cases.length} request(s): ${count((c) => c.modelId.includes(':'))} model ids with ':', ` +
    `${count((c) => c.modelId.includes('/'))} ARNs with '/', ${count((c) => c.prompt.kind === 'large')} bodies of 150+ KiB; credentials ${kinds}`;
}

/** The prompt's text (large ones repeat their unit up to about `kb` KiB of UTF-8). */
export function promptText(p: PromptSpec): string {
  if (p.kind === 'short') return p.text;
  const unitBytes = Buffer.byteLength(p.unit, 'utf8');
  return p.unit.repeat(Math.ceil((p.kb * 1024) / unitBytes));
}

/** A case in words, e.g. "converse-stream on model id 'a:b' with temporary credentials and a 3-character body". */
export function describeCase(c: Sigv4Case): string {
  const credential = { 'long-term': 'long-term SigV4 keys', temporary: 'temporary SigV4 credentials (session token)', bearer: 'a Bearer API key' }[c.credential];
  const text = promptText(c.prompt);
  const body = c.prompt.kind === 'large'
    ? `a ${Math.round(Buffer.byteLength(text) / 1024)} KiB prompt of ${JSON.stringify(c.prompt.unit)} repeated`
    : `the prompt ${JSON.stringify(text)}`;
  return `${c.operation} on model id '${c.modelId}', client using ${credential}, ${body}`;
}
