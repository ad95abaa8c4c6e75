// Cassette files in and out: recursive loading that lists every problem, atomic diffable writes.
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Cassette, LoadedCassette } from './cassette.ts';
import { parseCassette } from './cassette-validate.ts';

/** Reads and validates one cassette file; a bad file is a value, not an exception. */
export async function readCassetteFile(file: string): Promise<{ ok: true; cassette: LoadedCassette } | { ok: false; errors: string[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [`${file}: cannot read: ${(error as Error).message}`] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, errors: [`${file}: not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = parseCassette(value, file);
  return parsed.ok ? { ok: true, cassette: { ...parsed.cassette, file } } : parsed;
}

/** Every `*.json` under `dir` (recursive, sorted), validated; duplicate ids keep the first file. */
export async function loadCassettes(dir: string): Promise<{ cassettes: LoadedCassette[]; problems: string[] }> {
  let names: string[];
  try {
    names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    return { cassettes: [], problems: [`${dir}: cannot read cassette directory: ${(error as Error).message}`] };
  }
  const cassettes: LoadedCassette[] = [];
  const problems: string[] = [];
  const byId = new Map<string, string>();
  for (const name of names) {
    const result = await readCassetteFile(path.join(dir, name));
    if (!result.ok) {
      problems.push(...result.errors);
      continue;
    }
    const first = byId.get(result.cassette.id);
    if (first) {
      problems.push(`${result.cassette.file}: $.id: '${result.cassette.id}' is already used by ${first}`);
      continue;
    }
    byId.set(result.cassette.id, result.cassette.file);
    cassettes.push(result.cassette);
  }
  return { cassettes, problems };
}

const isCompactList = (trail: (string | number)[]) =>
  trail.length === 4 && trail[0] === 'interactions' && trail[2] === 'response' && (trail[3] === 'events' || trail[3] === 'headers');

function render(value: unknown, indent: string, trail: (string | number)[]): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = value.every((item) => item === null || typeof item !== 'object') && JSON.stringify(value).length <= 72;
    if (flat) return JSON.stringify(value);
    const compact = isCompactList(trail);
    const items = value.map((item, i) => (compact ? JSON.stringify(item ?? null) : render(item ?? null, inner, [...trail, i])));
    return `[\n${items.map((item) => inner + item).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) return '{}';
    const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${render(v, inner, [...trail, k])}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The on-disk text: 2-space JSON, except that each stream event and each response header pair
 * sits on one line (short scalar arrays too), so a diff shows which frames changed.
 * JSON.parse gives the cassette back unchanged.
 */
export function formatCassette(cassette: Cassette): string {
  return `${render(cassette, '', [])}\n`;
}

let tempCounter = 0;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the temp files of writers of `file` that died mid-write (kill -9, power loss). */
async function removeDeadWritersTemps(dir: string, file: string): Promise<void> {
  const prefix = `.${path.basename(file)}.`;
  for (const name of await readdir(dir)) {
    const pid = Number(/^\.(?:.*)\.(\d+)\.\d+\.tmp$/.exec(name)?.[1]);
    if (name.startsWith(prefix) && Number.isSafeInteger(pid) && pid !== process.pid && !alive(pid)) await rm(path.join(dir, name), { force: true });
  }
}

/** Writes a cassette atomically: temp file in the same directory, fsync, rename over the target. */
export async function writeCassetteFile(file: string, cassette: Cassette): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  await removeDeadWritersTemps(dir, file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${tempCounter++}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(formatCassette(cassette), 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
