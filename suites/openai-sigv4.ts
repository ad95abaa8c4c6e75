// SigV4 through a translating gateway: for any model id form and body, the Converse request the
// gateway builds and signs must verify at the mock; a host signed without its port is its own finding.
import fc from 'fast-check';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { ChatDriver } from './chat-driver.ts';
import { describeChatOutcome } from './chat-outcome.ts';
import { chatSuite } from './chat-suite.ts';
import { guardedCheck, type CheckVerdict } from './guarded-check.ts';
import { runtimeCassette } from './runtime-cassette.ts';
import { modelIdArbitrary, NAMED_MODEL_IDS, promptArbitrary, promptText, type PromptSpec } from './sigv4-case-arbitrary.ts';
import { hostPortVerdict } from './sigv4-resigning.ts';
import type { SuiteContext } from './suite.ts';

const SUITE = 'openai-sigv4';
const PROPERTY_TIME_LIMIT_MS = 60_000;

interface ChatSigCase {
  stream: boolean;
  modelId: string;
  prompt: PromptSpec;
}

const caseArbitrary: fc.Arbitrary<ChatSigCase> = fc.record({ stream: fc.boolean(), modelId: modelIdArbitrary, prompt: promptArbitrary });
const EXAMPLES: ChatSigCase[] = NAMED_MODEL_IDS.map((modelId, i) => ({ stream: i % 2 === 0, modelId, prompt: { kind: 'short', text: 'héllo 世界 🙂' } }));

function describeCase(c: ChatSigCase): string {
  const text = promptText(c.prompt);
  const body = c.prompt.kind === 'large' ? `a ${Math.round(Buffer.byteLength(text) / 1024)} KiB prompt of ${JSON.stringify(c.prompt.unit)} repeated` : `the prompt ${JSON.stringify(text)}`;
  return `chat completions (stream: ${c.stream}) on model '${c.modelId}' with ${body}`;
}

/** What the cases covered, in words: a pass claims only what ran. */
function coverage(cases: readonly ChatSigCase[]): string {
  const count = (pick: (c: ChatSigCase) => boolean) => cases.filter(pick).length;
  return `${cases.length} chat call(s): ${count((c) => c.stream)} streamed, ${count((c) => c.modelId.includes(':'))} model ids with ':', `
    + `${count((c) => c.modelId.includes('/'))} ARNs with '/', ${count((c) => c.prompt.kind === 'large')} bodies of 150+ KiB`;
}

interface Run { n: number; cases: ChatSigCase[]; accepted: RequestRecord[]; failures: Map<string, string>; unverified: boolean }

async function runCase(ctx: SuiteContext, chat: ChatDriver, run: Run, c: ChatSigCase): Promise<string | undefined> {
  const n = ++run.n;
  run.cases.push(c);
  const prompt = `bedrock-conformance openai sigv4 case ${n}: ${promptText(c.prompt)}`;
  const answer = [`Answer to chat case ${n}`, ` for ${c.modelId}.`];
  const operation = c.stream ? 'converse-stream' as const : 'converse' as const;
  ctx.mock.addCassettes([runtimeCassette({ id: `openai-sigv4-${(ctx.seed >>> 0).toString(36)}-${n}`, operation, modelId: c.modelId, prompt, answer, seed: n })]);
  const since = ctx.mock.log.lastSeq;
  const obs = await chat.chat({ model: c.modelId, messages: [{ role: 'user', content: prompt }], max_tokens: 256, stream: c.stream, timeoutMs: 15_000 });
  const record = ctx.mock.log.since(since).at(-1);
  if (!record) return `the request never reached the mock; the client got ${describeChatOutcome(obs)}`;
  if (!record.sigv4) {
    run.unverified = true;
    return undefined;
  }
  if (!record.sigv4.ok) return `the mock rejected the gateway's signature: ${record.sigv4.reason}`;
  run.accepted.push(record);
  if (record.harnessError) return `the signature verified but the request matched no cassette (${record.harnessError}); the client got ${describeChatOutcome(obs)}`;
  if (obs.error || !obs.message) return `the mock accepted the signature but the client got ${describeChatOutcome(obs)}`;
  if (obs.message.content !== answer.join('')) return `the client got the wrong answer ${JSON.stringify(obs.message.content.slice(0, 80))}`;
  return undefined;
}

async function propertyCheck(ctx: SuiteContext, chat: ChatDriver, run: Run): Promise<CheckVerdict> {
  const property = fc.asyncProperty(caseArbitrary, async (c) => {
    const problem = await runCase(ctx, chat, run, c);
    if (problem) run.failures.set(JSON.stringify(c), problem);
    return problem === undefined;
  });
  const details = await fc.check(property, { seed: ctx.seed, numRuns: ctx.runs, examples: EXAMPLES.map((c) => [c] as [ChatSigCase]), interruptAfterTimeLimit: PROPERTY_TIME_LIMIT_MS });
  if (run.unverified) return { status: 'skip', message: 'the mock is not verifying SigV4, so signing cannot be judged' };
  const evidence = [`fast-check seed ${details.seed}: ${details.numRuns} run(s), the first ${EXAMPLES.length} being the named model ids; ${details.numShrinks} shrink(s)`];
  if (details.interrupted) evidence.push(`stopped at the ${PROPERTY_TIME_LIMIT_MS / 1000} s limit (calls were slow or hanging)`);
  if (!details.failed) return { status: 'pass', evidence, message: `every signed request verified at the mock (${coverage(run.cases)})` };
  const c = details.counterexample![0];
  const words = `fails for ${describeCase(c)}: ${run.failures.get(JSON.stringify(c)) ?? `the property threw: ${String(details.errorInstance)}`}`;
  return {
    status: 'fail', evidence, message: `a request the gateway signed did not verify or was not answered; minimal case: ${words}`,
    counterexample: { words, value: c, seed: details.seed, path: details.counterexamplePath ?? undefined },
  };
}

/** The signing property, then the host-without-port finding as its own check. */
export const openAiSigv4Suite = chatSuite({
  id: SUITE,
  title: 'OpenAI chat: the gateway signs every Converse request it sends correctly',
  async run(ctx, chat) {
    const run: Run = { n: 0, cases: [], accepted: [], failures: new Map(), unverified: false };
    return [
      await guardedCheck(ctx, SUITE, `${SUITE}/signing`, () => propertyCheck(ctx, chat, run)),
      await guardedCheck(ctx, SUITE, `${SUITE}/host-with-port`, async () => hostPortVerdict(run.accepted, run.unverified)),
    ];
  },
});
