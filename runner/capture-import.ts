// Converts existing captures (raw event-stream bytes, VCR.py YAML) into cassettes, redacted and byte-exact.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Cassette, CassetteEvent, CassetteInteraction, CassetteResponse } from '../mock-bedrock/cassette.ts';
import { frameToEvent, splitFrames } from '../mock-bedrock/event-codec.ts';
import { EVENTSTREAM_CONTENT_TYPE, OPERATIONS, type Operation } from '../mock-bedrock/wire-constants.ts';

/** What an import gives: cassettes ready to validate and write, or why the file could not be read. */
export type ImportResult = { ok: true; cassettes: Cassette[] } | { ok: false; reason: string };

/** Headers never written to a cassette: credentials, cookies, and what the server sets per response. */
export const DROPPED_HEADERS = [
  'authorization', 'x-amz-security-token', 'x-amz-date', 'cookie', 'set-cookie',
  'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date',
];

/** Kept headers come first in this order (as Bedrock sends them), the rest in recorded order. */
const HEADER_ORDER = ['content-type', 'x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-bedrock-content-type'];

const CONVERSE_EVENTS = new Set(['messageStart', 'contentBlockStart', 'contentBlockDelta', 'contentBlockStop', 'messageStop', 'metadata']);

const display = (file: string) => path.relative(process.cwd(), file).split(path.sep).join('/');

/** A cassette id from a capture path: parent folder + file name, lower-case, dash-separated. */
export function captureId(file: string): string {
  const base = path.basename(file).replace(/\.(bin|ya?ml)$/i, '').replace(/-chunk-\d+$/, '').replace(/^test_/, '');
  return `${path.basename(path.dirname(path.resolve(file)))}-${base}`.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function eventsOf(bytes: Uint8Array, where: string): { ok: true; events: CassetteEvent[] } | { ok: false; reason: string } {
  const { frames, rest } = splitFrames(bytes);
  if (rest.length) return { ok: false, reason: `${where}: ${rest.length} trailing bytes after ${frames.length} whole frames` };
  try {
    return { ok: true, events: frames.map((frame) => frameToEvent(frame, 0)) };
  } catch (error) {
    return { ok: false, reason: `${where}: ${(error as Error).message}` };
  }
}

/** The operation a bare event stream answered, from its event types (`chunk` means invoke). */
export function inferOperation(events: CassetteEvent[]): Operation | undefined {
  const types = events.map((e) => e.headers[':event-type']).filter((t): t is string => typeof t === 'string');
  if (types.length && types.every((t) => t === 'chunk')) return 'invoke-with-response-stream';
  if (types.some((t) => CONVERSE_EVENTS.has(t))) return 'converse-stream';
  return undefined;
}

/** One stream written in `files.length` parts (e.g. Kong's chunk-N fixtures); raw bytes carry no request. */
async function importRawStream(files: string[], modelId: string): Promise<ImportResult> {
  const parts = await Promise.all(files.map((f) => readFile(f)));
  const names = files.map(display).join(', ');
  const parsed = eventsOf(Buffer.concat(parts), names);
  if (!parsed.ok) return parsed;
  const operation = inferOperation(parsed.events);
  if (!operation) return { ok: false, reason: `${names}: cannot tell the operation from the event types` };
  const offsets = parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).reduce((n, p) => n + p.length, 0));
  const writes = parts.length > 1 ? `; written in ${parts.length} parts, kept as the default split fault` : '';
  return { ok: true, cassettes: [{
    version: 1,
    id: captureId(files[0]!),
    description: `${operation} response, ${parsed.events.length} frames of raw event-stream bytes${writes}. The request and model id were not recorded.`,
    source: { origin: 'imported', from: `${names} (raw application/vnd.amazon.eventstream bytes)` },
    ...(offsets.length ? { faults: { split: { kind: 'offsets' as const, offsets } } } : {}),
    interactions: [{ request: { operation, modelId, body: null }, response: { status: 200, headers: [['Content-Type', EVENTSTREAM_CONTENT_TYPE]], events: parsed.events } }],
  }] };
}

type VcrInteraction = {
  request?: { uri?: unknown; body?: unknown };
  response?: { status?: { code?: unknown }; headers?: Record<string, unknown>; body?: { string?: unknown } };
};

const asText = (value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : typeof value === 'string' ? value : null);

function requestOf(uri: unknown, body: unknown): { operation: Operation; modelId: string; body: unknown } | string {
  const match = typeof uri === 'string' ? /^\/model\/([^/]+)\/([a-z-]+)$/.exec(new URL(uri).pathname) : null;
  const operation = match?.[2] as Operation;
  if (!match || !OPERATIONS.includes(operation)) return `unrecognised request uri ${JSON.stringify(uri)}`;
  const text = asText(body);
  let parsed: unknown = text;
  try {
    parsed = text === null ? null : JSON.parse(text);
  } catch { /* a non-JSON body is kept as its text */ }
  return { operation, modelId: decodeURIComponent(match[1]!), body: parsed };
}

function headersOf(recorded: Record<string, unknown> = {}): [string, string][] {
  const kept = Object.entries(recorded)
    .filter(([name]) => !DROPPED_HEADERS.includes(name.toLowerCase()))
    .map(([name, value]): [string, string] => [name, Array.isArray(value) ? value.map(String).join(', ') : String(value)]);
  const rank = (name: string) => {
    const i = HEADER_ORDER.indexOf(name.toLowerCase());
    return i < 0 ? HEADER_ORDER.length : i;
  };
  return kept.map((h, i) => ({ h, i })).sort((a, b) => rank(a.h[0]) - rank(b.h[0]) || a.i - b.i).map(({ h }) => h);
}

function responseOf(vcr: NonNullable<VcrInteraction['response']>, where: string): CassetteResponse | string {
  const status = Number(vcr.status?.code);
  const headers = headersOf(vcr.headers);
  const type = headers.find(([n]) => n.toLowerCase() === 'content-type')?.[1] ?? '';
  const raw = vcr.body?.string;
  if (type.startsWith(EVENTSTREAM_CONTENT_TYPE)) {
    const bytes = raw instanceof Uint8Array ? raw : Buffer.from(asText(raw) ?? '', 'latin1');
    const parsed = eventsOf(bytes, where);
    return parsed.ok ? { status, headers, events: parsed.events } : parsed.reason;
  }
  const text = asText(raw) ?? '';
  try {
    return { status, headers, json: JSON.parse(text) };
  } catch {
    return { status, headers, text };
  }
}

function recordedAt(interactions: VcrInteraction[]): string | undefined {
  const date = interactions[0]?.response?.headers?.Date;
  const value = Date.parse(String(Array.isArray(date) ? date[0] : date));
  return Number.isNaN(value) ? undefined : new Date(value).toISOString();
}

/** A VCR.py cassette (one per file): `!!binary` stream bodies kept byte-exact, JSON bodies re-compacted. */
async function importVcr(file: string): Promise<ImportResult> {
  const where = display(file);
  let doc: { interactions?: VcrInteraction[] };
  try {
    doc = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    return { ok: false, reason: `${where}: not YAML: ${(error as Error).message}` };
  }
  if (!Array.isArray(doc?.interactions) || !doc.interactions.length) return { ok: false, reason: `${where}: no VCR interactions` };
  const interactions: CassetteInteraction[] = [];
  for (const [i, vcr] of doc.interactions.entries()) {
    const request = requestOf(vcr.request?.uri, vcr.request?.body);
    const response = vcr.response ? responseOf(vcr.response, `${where} interaction ${i}`) : 'no response';
    if (typeof request === 'string' || typeof response === 'string') {
      return { ok: false, reason: `${where} interaction ${i}: ${typeof request === 'string' ? request : response}` };
    }
    interactions.push({ request, response });
  }
  const ops = [...new Set(interactions.map((x) => x.request.operation))].join('+');
  const models = [...new Set(interactions.map((x) => x.request.modelId))].join(', ');
  const at = recordedAt(doc.interactions);
  return { ok: true, cassettes: [{
    version: 1,
    id: captureId(file),
    description: `${ops} on ${models}, ${interactions.length} interaction(s), from a VCR.py cassette`,
    source: {
      origin: 'imported',
      from: `${where} (VCR.py cassette: stream bodies byte-exact, JSON bodies re-compacted from the recorder's pretty-print)`,
      ...(at ? { recordedAt: at } : {}),
    },
    interactions,
  }] };
}

/**
 * Imports one capture, or several files that are parts of one raw stream (in write order).
 * Raw `.bin` captures hold no request, so their cassette gets `modelId` (default `unrecorded.<capture id>`,
 * distinct per capture so two of them never answer the same request) and a null body.
 */
export async function importCapture(file: string | string[], options: { modelId?: string } = {}): Promise<ImportResult> {
  const files = Array.isArray(file) ? file : [file];
  if (!files.length) return { ok: false, reason: 'no files given' };
  try {
    const head = (await readFile(files[0]!)).subarray(0, 64).toString('latin1');
    const yaml = files.length === 1 && (/\.ya?ml$/i.test(files[0]!) || /^(interactions|version):/m.test(head));
    return yaml ? await importVcr(files[0]!) : await importRawStream(files, options.modelId ?? `unrecorded.${captureId(files[0]!)}`);
  } catch (error) {
    return { ok: false, reason: `${files.map(display).join(', ')}: ${(error as Error).message}` };
  }
}
