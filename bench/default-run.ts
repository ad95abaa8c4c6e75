// Times the whole default run (`bedrock-conformance run` on the built-in reference gateway), as a
// user starts it, and prints the figure for the README. Usage: tsx bench/default-run.ts [repeats]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResults } from '../reports/results.ts';

const BIN = fileURLToPath(new URL('../bin/bedrock-conformance.js', import.meta.url));

/** One default run in a child process: wall time, exit code, and the run's own results. */
async function timeOneRun(): Promise<{ wallMs: number; code: number | null; results: RunResults }> {
  const dir = await mkdtemp(join(tmpdir(), 'bedrock-conformance-bench-'));
  try {
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => {
      spawn(process.execPath, [BIN, 'run', '--report-dir', dir], { stdio: 'ignore' }).on('close', resolve);
    });
    const wallMs = performance.now() - started;
    const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as RunResults;
    return { wallMs, code, results };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const repeats = Math.max(1, Number(process.argv[2] ?? 1) || 1);
const walls: number[] = [];
let allPassed = true;
for (let i = 0; i < repeats; i++) {
  const { wallMs, code, results } = await timeOneRun();
  walls.push(wallMs);
  allPassed &&= code === 0;
  const { pass, fail, skip } = results.summary;
  process.stdout.write(
    `default run ${i + 1}/${repeats}: ${(wallMs / 1000).toFixed(1)} s wall (process start to exit; suites alone ${(results.durationMs / 1000).toFixed(1)} s), `
      + `exit ${code}, ${results.checks.length} checks: ${pass} pass, ${fail} fail, ${skip} skip\n`,
  );
}
const worst = Math.max(...walls);
process.stdout.write(`default run: worst ${(worst / 1000).toFixed(1)} s of ${repeats} (budget 60 s) on ${process.platform} Node ${process.version}\n`);
process.exitCode = allPassed && worst < 60_000 ? 0 : 1;
