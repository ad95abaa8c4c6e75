// Text helpers every report writer shares: gateway strings are hostile, values are arbitrary.
import type { CheckResult } from './results.ts';

// C0/C1 controls (except tab, LF, CR), lone surrogates, U+FFFE/U+FFFF (invalid in XML 1.0), and
// bidi overrides (they can make a hostile message read as something else).
const UNSAFE_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Makes invisible or XML-invalid characters visible as `\u001b`, so every format can carry them. */
export function showControls(text: string): string {
  return text.replace(UNSAFE_CHARS, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Cuts long text and says how much was cut, so reports stay readable and small. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… (${text.length - max} more chars)`;
}

/** Renders a counterexample value as pretty JSON when possible (bigint, undefined and cycles too). */
export function formatValue(value: unknown, max = 4000): string {
  let text: string;
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2);
    text = json === undefined ? String(value) : json;
  } catch {
    text = String(value);
  }
  return truncate(text, max);
}

/** The command that reruns a failing property check with its seed (DESIGN.md `run` flags). */
export function replayCommand(check: CheckResult): string | undefined {
  if (!check.counterexample) return undefined;
  return `bedrock-conformance run --suite ${shellWord(check.suite)} --seed ${check.counterexample.seed}`;
}

// Quotes a suite id for a POSIX shell only when it needs it (ids are normally plain words).
function shellWord(word: string): string {
  return /^[\w./:@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Milliseconds as a short human duration ("850 ms", "12.3 s"). */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
