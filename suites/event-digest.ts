// Event sequences as comparable text, so "identical to the baseline" is one string comparison.
import type { ObservedEvent } from './client-driver.ts';

function canonical(value: unknown): unknown {
  if (value instanceof Uint8Array) return { base64: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
  }
  return value;
}

/** One line per event: its type and its value as sorted-key JSON (bytes as base64). */
export function eventDigest(events: readonly ObservedEvent[]): string[] {
  return events.map((e) => `${e.type} ${JSON.stringify(canonical(e.value))}`);
}

function short(text: string | undefined, limit = 160): string {
  if (text === undefined) return '(nothing)';
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** Where two digests first differ, in words; undefined when they are identical. */
export function firstDifference(expected: readonly string[], got: readonly string[]): string | undefined {
  const n = Math.max(expected.length, got.length);
  for (let i = 0; i < n; i++) {
    if (expected[i] !== got[i]) {
      const counts = expected.length === got.length ? '' : ` (got ${got.length} events, expected ${expected.length})`;
      return `event ${i} differs${counts}: expected ${short(expected[i])}, got ${short(got[i])}`;
    }
  }
  return undefined;
}
