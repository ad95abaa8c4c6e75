// Parses cassette JSON at the boundary: every problem named by file and JSON path, never a throw.
import { CASSETTE_ORIGINS, CASSETTE_VERSION, type Cassette } from './cassette.ts';
import { eventToFrame } from './event-codec.ts';
import { parseFaultPlan } from './fault-plan-parse.ts';
import { OPERATIONS, STREAMING_OPERATIONS, type Operation } from './wire-constants.ts';

type Obj = Record<string, unknown>;
type Report = ((path: string, message: string) => void) & { count: number };

/** `$.a.b`, `$.a[2]`, `$.a[":odd key"]`: the JSONPath-ish location used in every message. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function onlyKeys(value: Obj, allowed: readonly string[], path: string, report: Report): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(childPath(path, key), `unexpected key (allowed: ${allowed.join(', ')})`);
  }
}

function nonEmptyString(value: unknown, path: string, report: Report): void {
  if (typeof value !== 'string' || value.length === 0) report(path, 'expected a non-empty string');
}

/** Headers a cassette must never store: credentials and cookies are dropped before disk. */
const SECRET_HEADERS = ['authorization', 'x-amz-security-token', 'cookie', 'set-cookie'];

function checkResponseHeaders(headers: unknown, path: string, report: Report): void {
  if (!Array.isArray(headers)) return report(path, 'expected an array of [name, value] pairs');
  headers.forEach((pair, i) => {
    const at = childPath(path, i);
    if (!Array.isArray(pair) || pair.length !== 2) return report(at, 'expected a [name, value] pair');
    const [name, value] = pair;
    if (typeof name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) report(childPath(at, 0), 'expected an HTTP header name');
    else if (SECRET_HEADERS.includes(name.toLowerCase())) report(childPath(at, 0), `'${name}' must not be stored (credentials and cookies are redacted)`);
    if (typeof value !== 'string' || /[\r\n]/.test(value)) report(childPath(at, 1), 'expected a header value string without CR/LF');
  });
}

const TYPED_HEADER_TYPES = ['boolean', 'byte', 'short', 'integer', 'long', 'binary', 'timestamp', 'uuid'] as const;
const INT_RANGE: Record<string, [number, number]> = { byte: [-128, 127], short: [-32768, 32767], integer: [-(2 ** 31), 2 ** 31 - 1] };

function checkTypedHeader(header: Obj, path: string, report: Report): void {
  onlyKeys(header, ['type', 'value'], path, report);
  const { type, value } = header;
  const valuePath = childPath(path, 'value');
  if (!TYPED_HEADER_TYPES.includes(type as never)) return report(childPath(path, 'type'), `expected one of ${TYPED_HEADER_TYPES.join(', ')}`);
  const range = INT_RANGE[type as string];
  if (type === 'boolean' && typeof value !== 'boolean') report(valuePath, 'expected a boolean');
  if (range && !(Number.isInteger(value) && (value as number) >= range[0] && (value as number) <= range[1])) {
    report(valuePath, `expected an integer in ${range[0]}..${range[1]}`);
  }
  if (type === 'long' && !(typeof value === 'string' && /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)))) {
    report(valuePath, 'expected a decimal string within ±2^53');
  }
  if (type === 'binary' && !(typeof value === 'string' && Buffer.from(value, 'base64').toString('base64') === value)) report(valuePath, 'expected canonical base64');
  if (type === 'timestamp' && !(typeof value === 'string' && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value)) {
    report(valuePath, 'expected an ISO timestamp (as Date#toISOString prints it)');
  }
  if (type === 'uuid' && !(typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))) report(valuePath, 'expected a uuid');
}

/** Header order per `:message-type`: events and exceptions as AWS sends them (WIRE.md, captures), errors as in exception-frame.ts. */
const STREAM_HEADER_ORDER: Record<string, string[]> = {
  event: [':event-type', ':content-type', ':message-type'],
  exception: [':exception-type', ':content-type', ':message-type'],
  error: [':message-type', ':error-code', ':error-message'],
};

function checkWireHeaderOrder(headers: Obj, path: string, report: Report): void {
  const kind = headers[':message-type'];
  const order = typeof kind === 'string' ? STREAM_HEADER_ORDER[kind] : undefined;
  if (!order) return report(childPath(path, ':message-type'), 'expected "event", "exception" or "error"');
  const names = Object.keys(headers);
  if (names.join('\n') !== order.join('\n')) report(path, `expected headers ${order.join(', ')} in that order (found ${names.join(', ')})`);
  for (const name of order) {
    if (name in headers && typeof headers[name] !== 'string') report(childPath(path, name), 'expected a string');
  }
}

const PAYLOAD_FORMS = ['json', 'chunk', 'text', 'base64'];

function checkEvent(event: unknown, path: string, operation: Operation | undefined, report: Report): void {
  if (!isObj(event)) return report(path, 'expected an object');
  onlyKeys(event, ['at', 'headers', ...PAYLOAD_FORMS], path, report);
  if (typeof event.at !== 'number' || !Number.isFinite(event.at) || event.at < 0) report(childPath(path, 'at'), 'expected a number of milliseconds >= 0');
  const headersPath = childPath(path, 'headers');
  if (!isObj(event.headers)) report(headersPath, 'expected an object of header name → value');
  else {
    for (const [name, value] of Object.entries(event.headers)) {
      const at = childPath(headersPath, name);
      if (isObj(value)) checkTypedHeader(value, at, report);
      else if (typeof value !== 'string') report(at, 'expected a string or {type, value}');
    }
    if (operation && STREAMING_OPERATIONS.includes(operation)) checkWireHeaderOrder(event.headers, headersPath, report);
  }
  const forms = PAYLOAD_FORMS.filter((k) => event[k] !== undefined);
  if (forms.length !== 1) report(path, `expected exactly one of ${PAYLOAD_FORMS.join(', ')} (found ${forms.length ? forms.join(', ') : 'none'})`);
  if (event.text !== undefined && typeof event.text !== 'string') report(childPath(path, 'text'), 'expected a string');
  if (event.base64 !== undefined && !(typeof event.base64 === 'string' && Buffer.from(event.base64, 'base64').toString('base64') === event.base64)) {
    report(childPath(path, 'base64'), 'expected canonical base64');
  }
  if (event.chunk !== undefined) {
    const chunkPath = childPath(path, 'chunk');
    if (!isObj(event.chunk) || !('bytes' in event.chunk)) report(chunkPath, 'expected {bytes, p?}');
    else {
      onlyKeys(event.chunk, ['bytes', 'p'], chunkPath, report);
      if (event.chunk.p !== undefined && typeof event.chunk.p !== 'string') report(childPath(chunkPath, 'p'), 'expected a string');
    }
  }
}

function checkResponse(response: unknown, operation: Operation | undefined, path: string, report: Report): void {
  if (!isObj(response)) return report(path, 'expected an object');
  onlyKeys(response, ['status', 'headers', 'events', 'json', 'text'], path, report);
  const status = response.status;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    report(childPath(path, 'status'), 'expected an integer HTTP status (100..599)');
  }
  checkResponseHeaders(response.headers, childPath(path, 'headers'), report);
  const forms = ['events', 'json', 'text'].filter((k) => response[k] !== undefined);
  if (forms.length !== 1) {
    report(path, `expected exactly one of events, json, text (found ${forms.length ? forms.join(', ') : 'none'})`);
  }
  if (response.text !== undefined && typeof response.text !== 'string') report(childPath(path, 'text'), 'expected a string');
  if (response.events === undefined) return;
  const eventsPath = childPath(path, 'events');
  if (operation && !STREAMING_OPERATIONS.includes(operation)) report(eventsPath, `'${operation}' does not stream: use json or text`);
  if (!Array.isArray(response.events) || response.events.length === 0) return report(eventsPath, 'expected a non-empty array');
  let previousAt = 0;
  response.events.forEach((event, i) => {
    const at = childPath(eventsPath, i);
    const before = report.count;
    checkEvent(event, at, operation, report);
    if (report.count !== before) return;
    const time = (event as { at: number }).at;
    if (time < previousAt) report(childPath(at, 'at'), `must not be earlier than the previous event (${previousAt})`);
    previousAt = time;
    try {
      eventToFrame(event as Parameters<typeof eventToFrame>[0]);
    } catch (error) {
      report(at, `does not encode as a frame: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

function checkInteraction(value: unknown, path: string, report: Report): void {
  if (!isObj(value)) return report(path, 'expected an object');
  onlyKeys(value, ['request', 'response'], path, report);
  const request = value.request;
  const requestPath = childPath(path, 'request');
  let operation: Operation | undefined;
  if (!isObj(request)) report(requestPath, 'expected an object');
  else {
    onlyKeys(request, ['operation', 'modelId', 'body'], requestPath, report);
    if (OPERATIONS.includes(request.operation as Operation)) operation = request.operation as Operation;
    else report(childPath(requestPath, 'operation'), `expected one of ${OPERATIONS.join(', ')}`);
    nonEmptyString(request.modelId, childPath(requestPath, 'modelId'), report);
    if (!('body' in request)) report(childPath(requestPath, 'body'), 'missing (use null when the request body was not recorded)');
  }
  checkResponse(value.response, operation, childPath(path, 'response'), report);
}

function checkSource(source: unknown, path: string, report: Report): void {
  if (!isObj(source)) return report(path, 'expected an object');
  onlyKeys(source, ['origin', 'from', 'recordedAt'], path, report);
  if (!CASSETTE_ORIGINS.includes(source.origin as never)) report(childPath(path, 'origin'), `expected one of ${CASSETTE_ORIGINS.join(', ')}`);
  nonEmptyString(source.from, childPath(path, 'from'), report);
  const recordedAt = source.recordedAt;
  if (recordedAt !== undefined && (typeof recordedAt !== 'string' || Number.isNaN(Date.parse(recordedAt)))) {
    report(childPath(path, 'recordedAt'), 'expected an ISO date string');
  }
}

/** Checks a parsed cassette file against the whole format; `file` prefixes every error. */
export function parseCassette(value: unknown, file: string): { ok: true; cassette: Cassette } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const report = Object.assign((path: string, message: string) => {
    errors.push(`${file}: ${path}: ${message}`);
    report.count += 1;
  }, { count: 0 }) as Report;
  if (!isObj(value)) return { ok: false, errors: [`${file}: $: expected a JSON object`] };
  onlyKeys(value, ['version', 'id', 'description', 'source', 'faults', 'interactions'], '$', report);
  if (Object.keys(value)[0] !== 'version') report('$', 'version must be the first key');
  if (value.version !== CASSETTE_VERSION) report('$.version', `expected ${CASSETTE_VERSION} (got ${JSON.stringify(value.version)})`);
  if (typeof value.id !== 'string' || !/^[A-Za-z0-9][\w.:/-]*$/.test(value.id)) report('$.id', 'expected an id of letters, digits and ._:/-');
  nonEmptyString(value.description, '$.description', report);
  checkSource(value.source, '$.source', report);
  if (value.faults !== undefined) {
    const faults = parseFaultPlan(value.faults, file);
    const prefix = `${file}: $`;
    if (!faults.ok) errors.push(faults.error.startsWith(prefix) ? `${prefix}.faults${faults.error.slice(prefix.length)}` : faults.error);
  }
  if (!Array.isArray(value.interactions) || value.interactions.length === 0) report('$.interactions', 'expected a non-empty array');
  else value.interactions.forEach((interaction, i) => checkInteraction(interaction, childPath('$.interactions', i), report));
  return errors.length ? { ok: false, errors } : { ok: true, cassette: value as unknown as Cassette };
}
