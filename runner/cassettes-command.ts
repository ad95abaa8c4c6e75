// `bedrock-conformance cassettes verify|import`: check a cassette tree, convert existing captures.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadCassettes, writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { parseCassette } from '../mock-bedrock/cassette-validate.ts';
import { importCapture } from './capture-import.ts';
import { CliError } from './cli-error.ts';

/** One line for the command list. */
export const summary = 'verify | import: check a cassette tree, convert existing captures';

/** Full help text. */
export const help = `bedrock-conformance cassettes: check cassette files, or turn captures into cassettes

Usage
  bedrock-conformance cassettes verify [DIR]
  bedrock-conformance cassettes import FILE... [--out DIR] [--model-id ID]

Commands
  verify    Validate every *.json under DIR (default ./cassettes); print each problem and a summary.
            Exit 1 when any problem is found.
  import    Convert raw event-stream bytes (.bin) or VCR.py YAML cassettes into cassettes, one per
            file, written atomically to DIR. Files named NAME-chunk-1.bin, NAME-chunk-2.bin, ... are
            one stream written in parts: they become one cassette whose split fault keeps the
            recorded write boundaries. Credentials, cookies and per-response headers are dropped.

Options
  --out DIR        Where import writes (default ./cassettes/imported)
  --model-id ID    Model id for raw .bin captures, which do not record one (default: unrecorded.<capture id>)
  -h, --help       Show this help

Examples
  bedrock-conformance cassettes verify
  bedrock-conformance cassettes verify cassettes/synthetic
  bedrock-conformance cassettes import ../shared/captures/otel-botocore/*.yaml --out cassettes/imported
  bedrock-conformance cassettes import kong/chunk-1.bin kong/chunk-2.bin kong/chunk-3.bin
`;

async function verify(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 1) throw new CliError(`verify takes one directory, got ${positionals.length}`);
  const dir = positionals[0] ?? 'cassettes';
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory()) throw new CliError(`cassette directory '${dir}' not found (pass DIR, or run from the project root)`);
  const { cassettes, problems } = await loadCassettes(dir);
  if (cassettes.length === 0 && problems.length === 0) problems.push(`${dir}: no *.json cassettes found`);
  for (const problem of problems) process.stdout.write(`${problem}\n`);
  const files = new Set(problems.map((p) => p.split(': ')[0])).size;
  process.stdout.write(problems.length
    ? `${cassettes.length} cassettes valid, ${problems.length} problems in ${files} files under ${dir}\n`
    : `${cassettes.length} cassettes valid under ${dir}\n`);
  return problems.length ? 1 : 0;
}

/** Groups `X-chunk-N.bin` files into one ordered stream; every other file stands alone. */
export function groupCaptureFiles(files: string[]): string[][] {
  const groups = new Map<string, { n: number; file: string }[]>();
  for (const file of files) {
    const match = /^(.*)-chunk-(\d+)\.bin$/.exec(file);
    const key = match ? `chunks:${match[1]}` : `file:${file}`;
    groups.set(key, [...(groups.get(key) ?? []), { n: match ? Number(match[2]) : 0, file }]);
  }
  return [...groups.values()].map((parts) => parts.sort((a, b) => a.n - b.n).map((p) => p.file));
}

async function importFiles(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { out: { type: 'string', default: path.join('cassettes', 'imported') }, 'model-id': { type: 'string' } },
  });
  if (positionals.length === 0) throw new CliError('import needs at least one capture FILE (see --help)');
  let failed = 0;
  for (const group of groupCaptureFiles(positionals)) {
    const result = await importCapture(group.length === 1 ? group[0]! : group, { modelId: values['model-id'] });
    if (!result.ok) {
      process.stdout.write(`failed: ${result.reason}\n`);
      failed += 1;
      continue;
    }
    for (const cassette of result.cassettes) {
      const file = path.join(values.out, `${cassette.id}.json`);
      const parsed = parseCassette(JSON.parse(JSON.stringify(cassette)), file);
      if (!parsed.ok) {
        process.stdout.write(`failed: ${group.join(', ')} gives an invalid cassette:\n${parsed.errors.join('\n')}\n`);
        failed += 1;
        continue;
      }
      await writeCassetteFile(file, cassette);
      const counts = cassette.interactions.map((i) => `${i.request.operation} ${i.response.status}${i.response.events ? ` ${i.response.events.length} frames` : ''}`);
      process.stdout.write(`wrote ${file} (${counts.join('; ')})\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Runs `cassettes verify` or `cassettes import`; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'verify') return await verify(rest);
    if (sub === 'import') return await importFiles(rest);
  } catch (error) {
    if (error instanceof CliError) throw error;
    if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) throw new CliError(error.message);
    throw error;
  }
  throw new CliError(sub ? `unknown cassettes command '${sub}' (verify, import)` : 'cassettes needs a command: verify or import');
}
