// Writes the four report files for one run, each atomically so CI never reads half a file.
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport } from './html-report.ts';
import { renderJsonReport } from './json-report.ts';
import { renderJunitReport } from './junit-report.ts';
import { renderMarkdownReport } from './markdown-report.ts';
import type { RunResults } from './results.ts';

/** The report files by name (DESIGN.md), each with the writer that renders it. */
export const REPORT_FILES = [
  { name: 'results.json', render: renderJsonReport },
  { name: 'junit.xml', render: renderJunitReport },
  { name: 'summary.md', render: renderMarkdownReport },
  { name: 'report.html', render: renderHtmlReport },
] as const;

/**
 * Renders every report, creates `dir` if needed, and writes each file through a temp file in the
 * same directory plus rename. Resolves to the written paths, in REPORT_FILES order.
 */
export async function writeReports(dir: string, results: RunResults): Promise<{ files: string[] }> {
  const rendered = REPORT_FILES.map(({ name, render }) => ({ path: join(dir, name), text: render(results) }));
  await mkdir(dir, { recursive: true });
  for (const { path, text } of rendered) await writeAtomically(path, text);
  return { files: rendered.map((file) => file.path) };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, text, 'utf8');
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
