// Suite 11: many two-round flows at once, each with its own prompt, tool result and answer; every
// client must get its own answer and none may get another client's.
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { mulberry32 } from '../mock-bedrock/seeded-random.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';
import { toolCalls } from './assistant-turn.ts';
import { guardedCheck } from './guarded-check.ts';
import type { Suite } from './suite.ts';
import { serveCassettes, syntheticToolFlow } from './synthetic-flow.ts';
import { runToolUseFlow, type FlowOutcome } from './tool-use-flow.ts';

const SUITE = 'concurrency';
const OPERATIONS: Operation[] = ['converse-stream', 'converse', 'invoke-with-response-stream', 'invoke'];
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Flow `i` of a run: its own station, song and wording, all drawn from the run's seed. */
export function concurrentFlow(seed: number, i: number, operations: readonly Operation[] = OPERATIONS): Cassette {
  const random = mulberry32((seed ^ 0xc0c0) + i * 7919);
  const sign = `K${Array.from({ length: 3 }, () => LETTERS[Math.floor(random() * 26)]).join('')}`;
  const song = `Song ${Math.floor(random() * 1e6).toString(36)} №${i}`;
  return syntheticToolFlow({
    id: `concurrency-${seed >>> 0}-${i}`, operation: operations[i % operations.length]!, seed: ((seed >>> 0) % 100_000) * 64 + i,
    prompt: `Flow ${i}: what is the most popular song on ${sign} right now?`,
    preamble: `Looking up ${sign} for flow ${i}.`,
    calls: [{ name: 'station_lookup', input: { sign, flow: i }, outcome: { ok: true, json: { sign, song, flow: i } } }],
    answer: `Flow ${i}: the most popular song on ${sign} is “${song}”.`,
  });
}

/** Whose response a failed flow got instead of its own, by tool-call id or final text. */
function crossedWith(outcome: FlowOutcome, flows: readonly Cassette[], expected: readonly string[]): number | undefined {
  // Either round may be the crossed one: a final answer from another flow says round 2 crossed,
  // another flow's tool call says round 1 did.
  const byText = outcome.finalText === undefined ? -1 : expected.indexOf(outcome.finalText);
  const ids = outcome.turn ? toolCalls(outcome.turn).map((c) => c.id) : [];
  const byTool = ids.length ? flows.findIndex((c) => JSON.stringify(c.interactions[1]!.request.body).includes(`"${ids[0]}"`)) : -1;
  const own = flows.indexOf(flows.find((_, i) => expected[i] === outcome.expectedText)!);
  const other = [byText, byTool].find((n) => n >= 0 && n !== own);
  return other ?? (byText >= 0 ? byText : byTool >= 0 ? byTool : undefined);
}

/** Concurrency with `count` simultaneous flows (24 by default). */
export function makeConcurrencySuite(count = 24): Suite {
  return {
    id: SUITE,
    title: 'Concurrent two-round flows',
    run: async (ctx) => [await guardedCheck(ctx, SUITE, `${SUITE}/two-round-flows`, async () => {
      const flows = Array.from({ length: count }, (_, i) => concurrentFlow(ctx.seed, i));
      const served = serveCassettes(ctx.mock, flows);
      if (!served.ok) return { status: 'fail', message: served.reason };
      const started = performance.now();
      const outcomes = await Promise.all(flows.map((flow) => runToolUseFlow(ctx, flow)));
      const took = Math.round(performance.now() - started);
      const expected = outcomes.map((o) => o.expectedText);
      const failures: string[] = [];
      let crossed = 0;
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) return;
        const other = crossedWith(outcome, flows, expected);
        if (other !== undefined && other !== i) crossed += 1;
        failures.push(`flow ${i} (${flows[i]!.interactions[0]!.request.operation})${other !== undefined && other !== i ? ` got flow ${other}'s response` : ''}: ${outcome.message}`);
      });
      const mix = OPERATIONS.map((op) => `${flows.filter((f) => f.interactions[0]!.request.operation === op).length} ${op}`).join(', ');
      const evidence = [`${count} flows at once (${mix}), ${took} ms in all`, ...failures.slice(0, 10)];
      if (failures.length > 10) evidence.push(`… and ${failures.length - 10} more failed flows`);
      if (failures.length === 0) return { status: 'pass', message: `${count} simultaneous two-round flows each got their own answer (${took} ms)`, evidence };
      const crossing = crossed ? `; ${crossed} got another client's response` : '';
      return { status: 'fail', message: `${failures.length} of ${count} simultaneous flows failed${crossing}: ${failures[0]}`, evidence };
    })],
  };
}

/** The default concurrency suite: 24 simultaneous flows. */
export const concurrencySuite: Suite = makeConcurrencySuite();
