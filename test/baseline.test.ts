import test from 'ava';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineOf, compareWithBaseline, describeChange, readBaseline, writeBaseline } from '../reports/baseline.ts';
import type { CheckResult, RunResults } from '../reports/results.ts';
import { summarize } from '../reports/results.ts';

function results(checks: Array<Pick<CheckResult, 'id' | 'status'>>): RunResults {
  const full = checks.map((c) => ({ ...c, suite: c.id.split('/')[0]!, message: `${c.id} was ${c.status}` }));
  return { version: 1, gateway: { kind: 'profile:portkey', url: 'http://127.0.0.1:1' }, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, seed: 1, runs: 5, checks: full, summary: summarize(full) };
}

test('baseline › a run compared with its own baseline shows no change, failures included', (t) => {
  const run = results([{ id: 'a/x', status: 'pass' }, { id: 'a/y', status: 'fail' }, { id: 'b/z', status: 'skip' }]);
  t.deepEqual(compareWithBaseline(run, baselineOf(run)), []);
});

test('baseline › a changed status, a new check and a check that did not run are each reported', (t) => {
  const before = baselineOf(results([{ id: 'a/x', status: 'pass' }, { id: 'a/y', status: 'fail' }, { id: 'a/gone', status: 'pass' }]));
  const now = results([{ id: 'a/x', status: 'fail' }, { id: 'a/y', status: 'pass' }, { id: 'a/new', status: 'fail' }]);
  const lines = compareWithBaseline(now, before).map(describeChange);
  t.deepEqual(lines, [
    'a/x: expected pass, got fail (a/x was fail)',
    'a/y: expected fail, got pass (a/y was pass)',
    'a/new: new check, fail (a/new was fail)',
    'a/gone: expected pass, but the check did not run',
  ]);
});

test('baseline › written atomically and read back; a malformed file is named with the JSON path at fault', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'baseline-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, 'nested', 'portkey.json');
  const run = results([{ id: 'a/x', status: 'fail' }]);
  await writeBaseline(path, baselineOf(run));
  t.deepEqual(await readdir(join(dir, 'nested')), ['portkey.json'], 'no temp file is left beside it');
  const read = await readBaseline(path);
  t.true(read.ok);
  if (read.ok) t.deepEqual(compareWithBaseline(run, read.baseline), []);
  await writeFile(path, JSON.stringify({ version: 1, checks: { 'a/x': { status: 'broken' } } }));
  t.deepEqual(await readBaseline(path), { ok: false, reason: `${path}: $.checks["a/x"].status must be one of pass, fail, skip` });
  await writeFile(path, '{"version": 1, "checks": ');
  const bad = await readBaseline(path);
  t.false(bad.ok);
  if (!bad.ok) t.regex(bad.reason, new RegExp(`^cannot read baseline ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
});
