import test from 'ava';
import fc from 'fast-check';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { formatCassette, loadCassettes, readCassetteFile, writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { synthConverseTurn, synthSuccessResponse } from '../mock-bedrock/synthetic-events.ts';
import { syntheticCassettes } from '../runner/make-synthetic-cassettes.ts';

const fcSeed = () => (process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (process.pid << 8));

function cassette(id: string): Cassette {
  const events = synthConverseTurn({ seed: 3, text: ['héllo', ' 👋🏽'], stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 2 } });
  return {
    version: 1, id, description: 'd', source: { origin: 'synthetic', from: 'test' },
    interactions: [{ request: { operation: 'converse-stream', modelId: 'm', body: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] } }, response: synthSuccessResponse('converse-stream', 1, { events }) }],
  };
}

async function tempDir(t: { teardown(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cassettes-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('writeCassetteFile › reads back identical, key order included, with no temp file left', async (t) => {
  const dir = await tempDir(t);
  const file = path.join(dir, 'nested', 'a.json');
  await writeCassetteFile(file, cassette('a'));
  const read = await readCassetteFile(file);
  if (!read.ok) return t.fail(read.errors.join('\n'));
  const { file: where, ...back } = read.cassette;
  t.is(where, file);
  t.is(JSON.stringify(back), JSON.stringify(cassette('a')));
  t.deepEqual(await readdir(path.dirname(file)), ['a.json']);
});

test('formatCassette › one line per stream event and per response header, 2-space JSON elsewhere', (t) => {
  const text = formatCassette(cassette('a'));
  const lines = text.split('\n');
  t.is(lines.filter((l) => /^ {10}\{"at":\d+,"headers":\{":event-type":/.test(l)).length, cassette('a').interactions[0]!.response.events!.length);
  t.true(lines.includes('          ["Content-Type","application/vnd.amazon.eventstream"],'));
  t.true(lines.includes('  "version": 1,'));
  t.true(text.endsWith('}\n'));
});

test('formatCassette › JSON.parse gives back exactly the same value for any cassette-shaped JSON (property)', (t) => {
  const seed = fcSeed();
  t.log(`seed=${seed}`);
  const event = fc.record({ at: fc.nat(), headers: fc.dictionary(fc.string(), fc.string()), json: fc.jsonValue() });
  const arb = fc.record({
    version: fc.constant(1), id: fc.string(), description: fc.string(), source: fc.record({ origin: fc.constant('synthetic'), from: fc.string() }),
    interactions: fc.array(fc.record({
      request: fc.record({ operation: fc.constant('converse-stream'), modelId: fc.string(), body: fc.jsonValue() }),
      response: fc.record({ status: fc.constant(200), headers: fc.array(fc.tuple(fc.string(), fc.string())), events: fc.array(event) }),
    })),
  });
  fc.assert(fc.property(arb, (c) => {
    const back = JSON.parse(formatCassette(c as unknown as Cassette));
    if (JSON.stringify(back) !== JSON.stringify(c)) throw new Error('round trip changed the value');
  }), { seed, numRuns: 300 });
  t.pass();
});

test('loadCassettes › loads nested files sorted and lists every problem without throwing', async (t) => {
  const dir = await tempDir(t);
  await mkdir(path.join(dir, 'b'));
  await writeCassetteFile(path.join(dir, 'b', 'two.json'), cassette('two'));
  await writeCassetteFile(path.join(dir, 'a.json'), cassette('one'));
  await writeCassetteFile(path.join(dir, 'c-dup.json'), cassette('one'));
  await writeFile(path.join(dir, 'd-syntax.json'), '{"version": 1,');
  await writeFile(path.join(dir, 'e-invalid.json'), JSON.stringify({ version: 1, id: 'e' }));
  await writeFile(path.join(dir, 'notes.txt'), 'ignored');
  const { cassettes, problems } = await loadCassettes(dir);
  t.deepEqual(cassettes.map((c) => c.id), ['one', 'two']);
  t.deepEqual(cassettes.map((c) => path.relative(dir, c.file)), ['a.json', path.join('b', 'two.json')]);
  t.is(problems.filter((p) => p.startsWith(path.join(dir, 'c-dup.json'))).length, 1);
  t.regex(problems.join('\n'), /c-dup\.json: \$\.id: 'one' is already used by .*a\.json/);
  t.regex(problems.join('\n'), /d-syntax\.json: not valid JSON/);
  t.regex(problems.join('\n'), /e-invalid\.json: \$\.description: expected a non-empty string/);
  t.regex(problems.join('\n'), /e-invalid\.json: \$\.interactions: expected a non-empty array/);
});

test('loadCassettes › a missing directory is a problem, not a throw', async (t) => {
  const { cassettes, problems } = await loadCassettes(path.join(tmpdir(), 'no-such-cassettes-dir-xyz'));
  t.deepEqual(cassettes, []);
  t.regex(problems[0]!, /cannot read cassette directory/);
});

test('make-synthetic-cassettes › the shipped cassettes/synthetic files are exactly what the generator writes', async (t) => {
  const root = new URL('../cassettes/synthetic/', import.meta.url);
  const built = syntheticCassettes();
  t.deepEqual((await readdir(root)).sort(), built.map((c) => `${c.id}.json`).sort());
  for (const c of built) t.is(await readFile(new URL(`${c.id}.json`, root), 'utf8'), formatCassette(c), c.id);
  t.is(formatCassette(syntheticCassettes()[0]!), formatCassette(built[0]!), 'deterministic');
});
