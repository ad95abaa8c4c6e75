// Text helpers every report writer shares: gateway strings are hostile, values are arbitrary.
import { inspect } from 'node:util';
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

/** Renders a counterexample value as JSON, one line per member unless it fits a line (bigint and cycles too). */
export function formatValue(value: unknown, max = 4000): string {
  let data: unknown;
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'bigint') return `${v}n`;
      return ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<unknown>) : v;
    });
    if (json === undefined) return truncate(String(value), max);
    data = JSON.parse(json);
  } catch {
    return truncate(inspect(value, { depth: 6, breakLength: 72 }), max);
  }
  return truncate(prettyJson(data, ''), max);
}

// Like JSON.stringify(data, null, 2), but arrays and objects that fit in 72 columns stay on one line.
function prettyJson(data: unknown, indent: string, keyWidth = 0): string {
  const flat = JSON.stringify(data);
  if (indent.length + keyWidth + flat.length <= 72 || data === null || typeof data !== 'object') return flat;
  const inner = `${indent}  `;
  if (Array.isArray(data) && data.every((item) => item === null || typeof item !== 'object')) {
    return `[\n${flow(data.map((item) => JSON.stringify(item)), inner)}\n${indent}]`;
  }
  const items = Array.isArray(data)
    ? data.map((item) => `${inner}${prettyJson(item, inner)}`)
    : Object.entries(data).map(([key, item]) => `${inner}${JSON.stringify(key)}: ${prettyJson(item, inner, JSON.stringify(key).length + 2)}`);
  const [open, close] = Array.isArray(data) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

// Lays primitive array items out like text: as many per line as fit.
function flow(items: string[], indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const item of items) {
    if (line && indent.length + line.length + item.length + 2 > 72) {
      lines.push(`${indent}${line},`);
      line = '';
    }
    line = line ? `${line}, ${item}` : item;
  }
  lines.push(`${indent}${line}`);
  return lines.join('\n');
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

/** Milliseconds as a short human duration ("850 ms", "1502 ms", "12.3 s"): ms precision below 10 s. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return Math.abs(ms) < 10_000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
