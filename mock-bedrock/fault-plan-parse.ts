// FaultPlan at the boundary: CLI flags, cassette JSON and the faults request header all come in as
// unknown JSON; this turns them into a typed plan or says exactly which JSON path is wrong.
import type { FaultPlan, SplitPlan } from './fault-plan.ts';
import { ERROR_TYPES, STREAM_EXCEPTION_TYPES } from './wire-constants.ts';

/** The split plan kinds, for validation and for listing in help text. */
export const SPLIT_KINDS = ['frames', 'drip', 'offsets', 'coalesce', 'random'] as const;

/** Largest `cuts` a random split accepts: more is a typo, not a test. */
export const MAX_RANDOM_CUTS = 100_000;

const FAULT_KEYS = ['split', 'pace', 'delays', 'gapMs', 'exception', 'truncate', 'reset', 'httpError', 'corruptCrc'];
const SPLIT_KEYS: Record<SplitPlan['kind'], string[]> = {
  frames: [], drip: ['size'], offsets: ['offsets'], coalesce: ['frames'], random: ['seed', 'cuts'],
};

type Result<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (path: string, message: string): { ok: false; error: string } => ({ ok: false, error: `${path}: ${message}` });
const show = (value: unknown) => (value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value));

function record(value: unknown, path: string, keys: string[], required: string[] = []): Result<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(path, `expected an object, got ${show(value)}`);
  const object = value as Record<string, unknown>;
  const unknownKey = Object.keys(object).find((key) => !keys.includes(key));
  if (unknownKey !== undefined) return fail(`${path}.${unknownKey}`, `unknown field (allowed: ${keys.join(', ') || 'none'})`);
  const missing = required.find((key) => object[key] === undefined);
  return missing === undefined ? { ok: true, value: object } : fail(`${path}.${missing}`, 'is required');
}

function integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): Result<number> {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return { ok: true, value };
  const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
  return fail(path, `expected an integer ${range}, got ${show(value)}`);
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): Result<T> {
  if (allowed.includes(value as T)) return { ok: true, value: value as T };
  const near = typeof value === 'string' && allowed.find((a) => a.toLowerCase() === value.toLowerCase());
  const hint = near ? ` (did you mean ${JSON.stringify(near)}? case matters on the wire)` : '';
  return fail(path, `expected one of ${allowed.join(', ')}, got ${show(value)}${hint}`);
}

function optionalString(value: unknown, path: string): Result<string | undefined> {
  return value === undefined || typeof value === 'string' ? { ok: true, value } : fail(path, `expected a string, got ${show(value)}`);
}

function split(value: unknown, path: string): Result<SplitPlan> {
  const head = record(value, path, ['kind', 'size', 'offsets', 'frames', 'seed', 'cuts'], ['kind']);
  if (!head.ok) return head;
  const kind = oneOf(head.value.kind, `${path}.kind`, SPLIT_KINDS);
  if (!kind.ok) return kind;
  const body = record(value, path, ['kind', ...SPLIT_KEYS[kind.value]], SPLIT_KEYS[kind.value]);
  if (!body.ok) return body;
  const v = body.value;
  switch (kind.value) {
    case 'frames': return { ok: true, value: { kind: 'frames' } };
    case 'drip': {
      const size = integer(v.size, `${path}.size`, 1);
      return size.ok ? { ok: true, value: { kind: 'drip', size: size.value } } : size;
    }
    case 'coalesce': {
      const frames = integer(v.frames, `${path}.frames`, 1);
      return frames.ok ? { ok: true, value: { kind: 'coalesce', frames: frames.value } } : frames;
    }
    case 'offsets': {
      if (!Array.isArray(v.offsets)) return fail(`${path}.offsets`, `expected an array of byte offsets, got ${show(v.offsets)}`);
      const offsets: number[] = [];
      for (const [i, offset] of v.offsets.entries()) {
        const checked = integer(offset, `${path}.offsets[${i}]`, 1);
        if (!checked.ok) return checked;
        offsets.push(checked.value);
      }
      return { ok: true, value: { kind: 'offsets', offsets } };
    }
    case 'random': {
      const seed = integer(v.seed, `${path}.seed`, -(2 ** 31), 2 ** 32 - 1);
      if (!seed.ok) return seed;
      const cuts = integer(v.cuts, `${path}.cuts`, 0, MAX_RANDOM_CUTS);
      return cuts.ok ? { ok: true, value: { kind: 'random', seed: seed.value, cuts: cuts.value } } : cuts;
    }
  }
}

function frameBytes(value: unknown, path: string): Result<{ frame: number; bytes: number }> {
  const r = record(value, path, ['frame', 'bytes'], ['frame', 'bytes']);
  if (!r.ok) return r;
  const frame = integer(r.value.frame, `${path}.frame`, 0);
  if (!frame.ok) return frame;
  const bytes = integer(r.value.bytes, `${path}.bytes`, 0);
  return bytes.ok ? { ok: true, value: { frame: frame.value, bytes: bytes.value } } : bytes;
}

function fields(v: Record<string, unknown>, path: string): Result<FaultPlan> {
  const plan: FaultPlan = {};
  if (v.split !== undefined) {
    const s = split(v.split, `${path}.split`);
    if (!s.ok) return s;
    plan.split = s.value;
  }
  if (v.pace !== undefined) {
    const pace = oneOf(v.pace, `${path}.pace`, ['recorded', 'fast'] as const);
    if (!pace.ok) return pace;
    plan.pace = pace.value;
  }
  if (v.delays !== undefined) {
    if (!Array.isArray(v.delays)) return fail(`${path}.delays`, `expected an array of {frame, ms}, got ${show(v.delays)}`);
    plan.delays = [];
    for (const [i, item] of v.delays.entries()) {
      const at = `${path}.delays[${i}]`;
      const d = record(item, at, ['frame', 'ms'], ['frame', 'ms']);
      if (!d.ok) return d;
      const frame = integer(d.value.frame, `${at}.frame`, 0);
      if (!frame.ok) return frame;
      const ms = d.value.ms;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return fail(`${at}.ms`, `expected milliseconds >= 0, got ${show(ms)}`);
      plan.delays.push({ frame: frame.value, ms });
    }
  }
  if (v.gapMs !== undefined) {
    const gap = v.gapMs;
    if (typeof gap !== 'number' || !Number.isFinite(gap) || gap < 0 || gap > 10_000) return fail(`${path}.gapMs`, `expected milliseconds from 0 to 10000, got ${show(gap)}`);
    plan.gapMs = gap;
  }
  if (v.exception !== undefined) {
    const at = `${path}.exception`;
    const e = record(v.exception, at, ['frame', 'type', 'message'], ['frame', 'type']);
    if (!e.ok) return e;
    const frame = integer(e.value.frame, `${at}.frame`, 0);
    if (!frame.ok) return frame;
    const type = oneOf(e.value.type, `${at}.type`, STREAM_EXCEPTION_TYPES);
    if (!type.ok) return type;
    const message = optionalString(e.value.message, `${at}.message`);
    if (!message.ok) return message;
    plan.exception = { frame: frame.value, type: type.value, ...(message.value !== undefined && { message: message.value }) };
  }
  for (const key of ['truncate', 'reset'] as const) {
    if (v[key] === undefined) continue;
    const cut = frameBytes(v[key], `${path}.${key}`);
    if (!cut.ok) return cut;
    plan[key] = cut.value;
  }
  if (v.httpError !== undefined) {
    const at = `${path}.httpError`;
    const h = record(v.httpError, at, ['type', 'message'], ['type']);
    if (!h.ok) return h;
    const type = oneOf(h.value.type, `${at}.type`, ERROR_TYPES);
    if (!type.ok) return type;
    const message = optionalString(h.value.message, `${at}.message`);
    if (!message.ok) return message;
    plan.httpError = { type: type.value, ...(message.value !== undefined && { message: message.value }) };
  }
  if (v.corruptCrc !== undefined) {
    const at = `${path}.corruptCrc`;
    const c = record(v.corruptCrc, at, ['frame', 'which'], ['frame', 'which']);
    if (!c.ok) return c;
    const frame = integer(c.value.frame, `${at}.frame`, 0);
    if (!frame.ok) return frame;
    const which = oneOf(c.value.which, `${at}.which`, ['prelude', 'message'] as const);
    if (!which.ok) return which;
    plan.corruptCrc = { frame: frame.value, which: which.value };
  }
  return { ok: true, value: plan };
}

/**
 * Validates parsed JSON as a FaultPlan. `where` names the source (a file, a flag, a header) and
 * starts every error, followed by the JSON path: `--faults: $.split.size: expected an integer >= 1, got 0`.
 */
export function parseFaultPlan(value: unknown, where: string): { ok: true; plan: FaultPlan } | { ok: false; error: string } {
  const top = record(value, '$', FAULT_KEYS);
  const result = top.ok ? fields(top.value, '$') : top;
  return result.ok ? { ok: true, plan: result.value } : { ok: false, error: `${where}: ${result.error}` };
}
