// Progress on the terminal while a run goes on: which suite, how many checks are done, and each
// failure as it happens, one line each. On a TTY the check counter updates in place.
import { summarize, type CheckResult } from '../reports/results.ts';
import type { RunHooks } from './run-conformance.ts';

/** A writable terminal-ish stream (process.stderr in the CLI). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Squeezes a message onto one line of at most `width` characters, keeping its indentation. */
export function oneLine(text: string, width: number): string {
  const indent = /^ */.exec(text)![0];
  const flat = indent + text.slice(indent.length).replace(/\s+/g, ' ').trim();
  return flat.length <= width ? flat : `${flat.slice(0, Math.max(0, width - 1))}…`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Hooks that print progress to `out`. */
export function progressHooks(out: ProgressStream): RunHooks {
  // Terminals get their width; logs (CI) get whole messages up to a sane length.
  const width = out.isTTY && out.columns ? Math.max(60, out.columns - 1) : 240;
  let done = 0;
  let live = false;
  const clearLive = () => {
    if (live) out.write('\r\x1b[K');
    live = false;
  };
  const line = (text: string) => {
    clearLive();
    out.write(`${oneLine(text, width)}\n`);
  };
  return {
    // Notes are preformatted (the gateway setup table): printed as they are.
    note: (text) => { clearLive(); out.write(`${text}\n`); },
    suiteStart(suite, index, total) {
      done = 0;
      line(`[${String(index + 1).padStart(String(total).length)}/${total}] ${suite.id}: ${suite.title}`);
    },
    check(check: CheckResult) {
      done += 1;
      if (check.status === 'fail') line(`  FAIL ${check.id}: ${check.message}`);
      if (out.isTTY) {
        clearLive();
        out.write(`  ${done} check${done === 1 ? '' : 's'} done`);
        live = true;
      }
    },
    suiteEnd(suite, checks, durationMs) {
      const s = summarize(checks);
      const verdict = s.fail > 0 ? 'FAIL' : 'ok  ';
      line(`  ${verdict} ${suite.id}: ${checks.length} checks, ${s.pass} pass, ${s.fail} fail, ${s.skip} skip (${seconds(durationMs)})`);
    },
  };
}
