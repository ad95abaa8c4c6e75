// A gateway's expected results, kept in the repository: a third-party gateway may fail checks,
// but a change in which ones fail is news (a fix, a regression, or a suite that changed).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CHECK_STATUSES, type CheckStatus, type RunResults } from './results.ts';

/** The baseline file: each check's expected status, with the message that went with it for readers. */
export interface Baseline {
  version: 1;
  gateway: string;
  description?: string;
  seed: number;
  runs: number;
  checks: Record<string, { status: CheckStatus; message: string }>;
}

/** One difference between a run and its baseline. */
export interface BaselineChange {
  id: string;
  expected?: CheckStatus;
  got?: CheckStatus;
  message?: string;
}

/** The baseline a run would set. */
export function baselineOf(results: RunResults): Baseline {
  const checks: Baseline['checks'] = {};
  for (const check of results.checks) checks[check.id] = { status: check.status, message: check.message };
  return { version: 1, gateway: results.gateway.kind, description: results.gateway.description, seed: results.seed, runs: results.runs, checks };
}

/** Checks whose status differs from the baseline, checks it does not know, and checks that did not run. */
export function compareWithBaseline(results: RunResults, baseline: Baseline): BaselineChange[] {
  const changes: BaselineChange[] = [];
  const seen = new Set<string>();
  for (const check of results.checks) {
    seen.add(check.id);
    const expected = baseline.checks[check.id]?.status;
    if (expected !== check.status) changes.push({ id: check.id, expected, got: check.status, message: check.message });
  }
  for (const [id, entry] of Object.entries(baseline.checks)) if (!seen.has(id)) changes.push({ id, expected: entry.status });
  return changes;
}

/** One line per change, for the terminal and CI logs. */
export function describeChange(change: BaselineChange): string {
  if (change.got === undefined) return `${change.id}: expected ${change.expected}, but the check did not run`;
  if (change.expected === undefined) return `${change.id}: new check, ${change.got} (${change.message})`;
  return `${change.id}: expected ${change.expected}, got ${change.got} (${change.message})`;
}

/** Reads and checks a baseline file; the error names the file and what is wrong with it. */
export async function readBaseline(path: string): Promise<{ ok: true; baseline: Baseline } | { ok: false; reason: string }> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { ok: false, reason: `cannot read baseline ${path}: ${(error as Error).message}` };
  }
  const b = data as Partial<Baseline>;
  if (b?.version !== 1) return { ok: false, reason: `${path}: $.version must be 1` };
  if (typeof b.checks !== 'object' || b.checks === null) return { ok: false, reason: `${path}: $.checks must be an object of check id → {status, message}` };
  for (const [id, entry] of Object.entries(b.checks)) {
    if (!CHECK_STATUSES.includes(entry?.status)) return { ok: false, reason: `${path}: $.checks["${id}"].status must be one of ${CHECK_STATUSES.join(', ')}` };
  }
  return { ok: true, baseline: b as Baseline };
}

/** Writes a baseline atomically (temp file beside it, then rename). */
export async function writeBaseline(path: string, baseline: Baseline): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(baseline, null, 2)}\n`);
  await rename(temp, path);
}
