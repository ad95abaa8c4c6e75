// Where two values first differ, as a path and both sides: JSON key order is ignored, array order is not.

type Obj = Record<string, unknown>;

/** The first difference between what was sent and what arrived. */
export interface JsonDifference {
  path: string;
  sent: unknown;
  got: unknown;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The first path (depth first, keys sorted) where `got` differs from `sent`; undefined when equal. */
export function firstJsonDifference(sent: unknown, got: unknown, path = '$'): JsonDifference | undefined {
  if (Array.isArray(sent) && Array.isArray(got)) {
    for (let i = 0; i < Math.max(sent.length, got.length); i++) {
      const d = firstJsonDifference(sent[i], got[i], childPath(path, i));
      if (d) return d;
    }
    return undefined;
  }
  if (isObj(sent) && isObj(got)) {
    const keys = [...new Set([...Object.keys(sent), ...Object.keys(got)])].sort();
    for (const key of keys) {
      const d = firstJsonDifference(sent[key], got[key], childPath(path, key));
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(sent, got) ? undefined : { path, sent, got };
}

/** A value in a message: JSON, cut short, or "(missing)". */
export function shown(value: unknown, limit = 120): string {
  if (value === undefined) return '(missing)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

/** "at $.a.b: sent 1, forwarded 2" */
export function describeJsonDifference(d: JsonDifference, gotLabel = 'forwarded'): string {
  return `at ${d.path}: sent ${shown(d.sent)}, ${gotLabel} ${shown(d.got)}`;
}

/** Where two texts first differ, with a little context on each side; undefined when equal. */
export function describeTextDifference(expected: string, got: string): string | undefined {
  if (expected === got) return undefined;
  const a = [...expected];
  const b = [...got];
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (chars: string[]) => JSON.stringify(chars.slice(Math.max(0, i - 15), i + 25).join(''));
  const lengths = a.length === b.length ? '' : ` (${b.length} characters, recorded ${a.length})`;
  return `differs at character ${i}${lengths}: got ${around(b)}, recorded ${around(a)}`;
}
