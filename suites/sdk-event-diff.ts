// The events the AWS SDK yielded against the recorded frames: same types in the same order, and
// every member the SDK parsed equal to the recorded payload (members it does not model are not judged).
import { stableJson } from '../mock-bedrock/conversation-key.ts';
import type { ObservedEvent } from './client-driver.ts';
import { shown } from './json-diff.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);

function decodeChunk(bytes: unknown): unknown {
  try {
    const raw = bytes instanceof Uint8Array ? Buffer.from(bytes) : Buffer.from(String(bytes), 'base64');
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** First path where a parsed SDK value disagrees with the recorded payload; undefined when it agrees. */
export function sdkValueDifference(got: unknown, recorded: unknown, path = '$'): string | undefined {
  if (got instanceof Uint8Array) {
    const want = typeof recorded === 'string' ? Buffer.from(recorded, 'base64') : recorded instanceof Uint8Array ? Buffer.from(recorded) : undefined;
    return want && want.equals(Buffer.from(got)) ? undefined : `${path}: got ${got.length} bytes, recorded ${shown(recorded)}`;
  }
  if (got instanceof Date) return new Date(recorded as string).getTime() === got.getTime() ? undefined : `${path}: got ${got.toISOString()}, recorded ${shown(recorded)}`;
  if (Array.isArray(got)) {
    if (!Array.isArray(recorded) || recorded.length !== got.length) return `${path}: got ${shown(got)}, recorded ${shown(recorded)}`;
    for (let i = 0; i < got.length; i++) {
      const d = sdkValueDifference(got[i], recorded[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObj(got)) {
    if (!isObj(recorded)) return `${path}: got ${shown(got)}, recorded ${shown(recorded)}`;
    for (const [key, value] of Object.entries(got)) {
      if (value === undefined) continue;
      const d = sdkValueDifference(value, recorded[key], `${path}.${key}`);
      if (d) return d;
    }
    return undefined;
  }
  return Object.is(got, recorded) ? undefined : `${path}: got ${shown(got)}, recorded ${shown(recorded)}`;
}

/** A `chunk` value compared as the model JSON it carries (drivers may hand bytes or parsed JSON). */
function chunkDifference(got: unknown, recorded: unknown): string | undefined {
  const want = decodeChunk((recorded as Obj | undefined)?.bytes);
  const have = isObj(got) && 'bytes' in got ? decodeChunk(got.bytes) : got;
  return stableJson(have) === stableJson(want) ? undefined : `model event ${shown(have)}, recorded ${shown(want)}`;
}

/** Every way the SDK's events differ from the recording (empty when they agree). */
export function compareSdkEvents(got: readonly ObservedEvent[], recorded: readonly ObservedEvent[]): string[] {
  const problems: string[] = [];
  if (got.length !== recorded.length) problems.push(`the SDK yielded ${got.length} events; the recording has ${recorded.length}`);
  for (let i = 0; i < Math.min(got.length, recorded.length); i++) {
    const g = got[i]!;
    const r = recorded[i]!;
    if (g.type !== r.type) {
      problems.push(`event ${i}: the SDK yielded ${g.type}, recorded ${r.type}`);
      break;
    }
    const d = r.type === 'chunk' ? chunkDifference(g.value, r.value) : sdkValueDifference(g.value, r.value);
    if (d) {
      problems.push(`event ${i} (${r.type}) differs: ${d}`);
      break;
    }
  }
  return problems;
}
