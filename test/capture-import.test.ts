import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { Cassette } from '../mock-bedrock/cassette.ts';
import { formatCassette } from '../mock-bedrock/cassette-load.ts';
import { parseCassette } from '../mock-bedrock/cassette-validate.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import { DROPPED_HEADERS, importCapture, inferOperation } from '../runner/capture-import.ts';
import { groupCaptureFiles } from '../runner/cassettes-command.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CAPTURES = path.join(ROOT, '..', 'shared', 'captures');
const run = promisify(execFile);
const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', path.join(ROOT, 'runner', 'cli.ts'), ...args], { cwd: ROOT })
  .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

const KONG = [1, 2, 3].map((n) => path.join(CAPTURES, 'kong', `converse-stream-tool-use-chunk-${n}.bin`));
const ENVOY = path.join(CAPTURES, 'envoy-ai-gateway', 'claude-converse-stream-tool-use.bin');

async function otelFiles(): Promise<string[]> {
  return (await readdir(path.join(CAPTURES, 'otel-botocore'))).filter((f) => f.endsWith('.yaml')).sort().map((f) => path.join(CAPTURES, 'otel-botocore', f));
}

async function imported(file: string | string[]): Promise<Cassette> {
  const result = await importCapture(file);
  if (!result.ok) throw new Error(result.reason);
  return result.cassettes[0]!;
}

const reencode = (c: Cassette, i = 0) => Buffer.concat(c.interactions[i]!.response.events!.map(eventToFrame));

test('importCapture › the envoy .bin re-encodes byte-identically as one converse-stream cassette', async (t) => {
  const cassette = await imported(ENVOY);
  t.true(reencode(cassette).equals(await readFile(ENVOY)));
  t.is(cassette.interactions[0]!.request.operation, 'converse-stream');
  t.is(cassette.interactions[0]!.response.events!.length, 25);
  t.true(parseCassette(JSON.parse(formatCassette(cassette)), 'envoy').ok);
});

test('importCapture › the three Kong chunks become one stream with their write boundaries as split offsets', async (t) => {
  const cassette = await imported(KONG);
  const parts = await Promise.all(KONG.map((f) => readFile(f)));
  t.true(reencode(cassette).equals(Buffer.concat(parts)));
  t.is(cassette.interactions[0]!.response.events!.length, 10);
  t.deepEqual(cassette.faults, { split: { kind: 'offsets', offsets: [parts[0]!.length, parts[0]!.length + parts[1]!.length] } });
  t.true(parseCassette(JSON.parse(formatCassette(cassette)), 'kong').ok);
});

test('importCapture › every otel VCR cassette imports; stream bodies re-encode byte-identically, the rest matches the YAML', async (t) => {
  const files = await otelFiles();
  t.true(files.length >= 9);
  for (const file of files) {
    const doc = parseYaml(await readFile(file, 'utf8')) as { interactions: { request: { uri: string; body: string }; response: { status: { code: number }; body: { string: unknown } } }[] };
    const cassette = await imported(file);
    const name = path.basename(file);
    t.is(cassette.interactions.length, doc.interactions.length, name);
    doc.interactions.forEach((vcr, i) => {
      const { request, response } = cassette.interactions[i]!;
      const [, , model, operation] = new URL(vcr.request.uri).pathname.split('/');
      t.is(request.operation as string, operation, name);
      t.is(request.modelId, decodeURIComponent(model!), name);
      t.false(request.modelId.includes('%'), name);
      t.deepEqual(request.body, JSON.parse(vcr.request.body), name);
      t.is(response.status, vcr.response.status.code, name);
      const raw = vcr.response.body.string;
      if (raw instanceof Uint8Array) t.true(reencode(cassette, i).equals(Buffer.from(raw)), `${name} interaction ${i} bytes`);
      else t.deepEqual(response.json, JSON.parse(String(raw)), name);
    });
    const check = parseCassette(JSON.parse(formatCassette(cassette)), name);
    t.true(check.ok, check.ok ? name : check.errors.join('\n'));
  }
});

test('importCapture › credentials, cookies and per-response headers never reach the cassette', async (t) => {
  for (const file of await otelFiles()) {
    const cassette = await imported(file);
    const text = formatCassette(cassette);
    for (const secret of ['test_aws_authorization', 'test_aws_security_token', 'test_set_cookie', 'X-Amz-Date']) t.false(text.includes(secret), `${file}: ${secret}`);
    for (const { response } of cassette.interactions) {
      t.deepEqual(response.headers.filter(([n]) => DROPPED_HEADERS.includes(n.toLowerCase())), []);
      t.is(response.headers[0]![0].toLowerCase(), 'content-type', 'content type first');
    }
  }
});

test('importCapture › the invoke stream keeps X-Amzn-Bedrock-Content-Type and infers invoke from chunk events', async (t) => {
  const file = (await otelFiles()).find((f) => f.includes('invoke_model_with_response_stream_with_content_tool_call'))!;
  const cassette = await imported(file);
  t.deepEqual(cassette.interactions[0]!.response.headers.map(([n]) => n), ['Content-Type', 'x-amzn-RequestId', 'X-Amzn-Bedrock-Content-Type']);
  t.is(inferOperation(cassette.interactions[0]!.response.events!), 'invoke-with-response-stream');
  t.true(cassette.interactions[0]!.response.events!.every((e) => e.chunk !== undefined), 'every chunk shows its decoded bytes');
  const dir = await mkdtemp(path.join(tmpdir(), 'capture-'));
  try {
    const bin = path.join(dir, 'invoke.bin');
    await writeFile(bin, reencode(cassette));
    t.is((await imported(bin)).interactions[0]!.request.operation, 'invoke-with-response-stream');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('importCapture › broken captures are values with a reason, not exceptions', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'capture-'));
  try {
    const cut = path.join(dir, 'cut.bin');
    await writeFile(cut, (await readFile(ENVOY)).subarray(0, -1));
    const truncated = await importCapture(cut);
    t.false(truncated.ok);
    t.regex(truncated.ok ? '' : truncated.reason, /cut\.bin: \d+ trailing bytes after 24 whole frames/);
    const missing = await importCapture(path.join(dir, 'missing.bin'));
    t.false(missing.ok);
    const empty = path.join(dir, 'empty.yaml');
    await writeFile(empty, 'interactions: []\nversion: 1\n');
    const none = await importCapture(empty);
    t.regex(none.ok ? '' : none.reason, /no VCR interactions/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('cassettes import › groups NAME-chunk-N.bin files in numeric order', (t) => {
  t.deepEqual(groupCaptureFiles(['k/a-chunk-10.bin', 'x.yaml', 'k/a-chunk-2.bin', 'k/a-chunk-1.bin']), [['k/a-chunk-1.bin', 'k/a-chunk-2.bin', 'k/a-chunk-10.bin'], ['x.yaml']]);
});

test('cassettes import › the shipped cassettes/imported files are what the importer writes today', async (t) => {
  const shipped = (await readdir(path.join(ROOT, 'cassettes', 'imported'))).sort();
  const expected: string[] = [];
  for (const group of [[ENVOY], KONG, ...(await otelFiles()).map((f) => [f])]) {
    const result = await importCapture(group.length === 1 ? group[0]! : group);
    if (!result.ok) return t.fail(result.reason);
    for (const c of result.cassettes) {
      expected.push(`${c.id}.json`);
      t.is(await readFile(path.join(ROOT, 'cassettes', 'imported', `${c.id}.json`), 'utf8'), formatCassette(c), c.id);
    }
  }
  t.deepEqual(shipped, expected.sort());
});

test('cassettes import › the CLI writes validated cassettes and verify accepts them', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'capture-'));
  try {
    const out = await cli('cassettes', 'import', ...KONG, ENVOY, '--out', dir);
    t.is(out.code, 0, out.stderr);
    t.regex(out.stdout, /wrote .*kong-converse-stream-tool-use\.json \(converse-stream 200 10 frames\)/);
    t.deepEqual((await readdir(dir)).sort(), ['envoy-ai-gateway-claude-converse-stream-tool-use.json', 'kong-converse-stream-tool-use.json']);
    const verify = await cli('cassettes', 'verify', dir);
    t.is(verify.code, 0);
    t.regex(verify.stdout, /2 cassettes valid under /);
    await writeFile(path.join(dir, 'broken.json'), '{"version": 2}');
    const broken = await cli('cassettes', 'verify', dir);
    t.is(broken.code, 1);
    t.regex(broken.stdout, /broken\.json: \$\.version: expected 1/);
    t.regex(broken.stdout, /2 cassettes valid, \d+ problems in 1 files/);
    const usage = await cli('cassettes', 'import');
    t.is(usage.code, 2);
    t.regex(usage.stderr, /needs at least one capture FILE/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
