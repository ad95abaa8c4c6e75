// The signature of a request computed straight on node:crypto, for the common case only: a
// request that verifies is accepted without going through @smithy/signature-v4, and anything
// else (a mismatch, an input outside the common case) goes to the smithy path, which decides and
// explains. Each step mirrors smithy's code (signature-v4 5.x, core 3.x) line for line; the
// property in test/sigv4-fast-path.test.ts holds the two to the same answers.
import * as crypto from 'node:crypto';
import { createHash, createHmac } from 'node:crypto';
import type { SigningInputs } from './sigv4-canonical.ts';
import { escapeUri } from './sigv4-target.ts';

type Credentials = SigningInputs['credentials'];

// crypto.hash (Node >= 20.12) hashes without building a Hash object; older Nodes take the long way.
const oneShot = (crypto as { hash?: OneShotHash }).hash;
interface OneShotHash {
  (algorithm: string, data: string | Uint8Array, encoding: 'hex'): string;
  (algorithm: string, data: string | Uint8Array, encoding: 'buffer'): Buffer;
}

/** Hex SHA-256 of bytes, or of a string as UTF-8 (smithy's toUint8Array). */
export function sha256Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('sha256', data, 'hex') : createHash('sha256').update(data).digest('hex');
}

/** The day smithy derives the signing key from (formatDate(signingDate).shortDate), for the last time seen. */
let lastDay = { time: NaN, shortDate: '' };
function shortDateOf(signingDate: Date): string {
  const time = signingDate.getTime();
  if (time !== lastDay.time) lastDay = { time, shortDate: signingDate.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '').slice(0, 8) };
  return lastDay.shortDate;
}

/** HMAC-SHA256 with one key: the key's padded blocks computed once, then two one-shot hashes per message. */
class KeyedHmac {
  private readonly inner: Buffer;
  private readonly outer: Buffer;
  private readonly key: Buffer;

  constructor(key: Buffer) {
    // RFC 2104 with a key no longer than the 64-byte block (signing keys are 32-byte digests).
    this.key = key;
    this.inner = Buffer.alloc(64, 0x36);
    this.outer = Buffer.alloc(64 + 32, 0x5c);
    for (let i = 0; i < key.length; i++) {
      this.inner[i]! ^= key[i]!;
      this.outer[i]! ^= key[i]!;
    }
  }

  /** Hex HMAC of `message` as UTF-8. */
  hex(message: string): string {
    if (!oneShot) return createHmac('sha256', this.key).update(message, 'utf8').digest('hex');
    const block = Buffer.allocUnsafe(64 + Buffer.byteLength(message, 'utf8'));
    this.inner.copy(block, 0);
    block.write(message, 64, 'utf8');
    oneShot('sha256', block, 'buffer').copy(this.outer, 64);
    return oneShot('sha256', this.outer, 'hex');
  }
}

/** Derived signing keys per credentials object: kDate/kRegion/kService/kSigning change once a day. */
const signingKeys = new WeakMap<Credentials, { secret: string; keys: Map<string, KeyedHmac> }>();
/** Enough for a day change and a few regions or services; past it the map starts over. */
const MAX_KEYS_PER_CREDENTIALS = 16;

function signingKey(credentials: Credentials, shortDate: string, region: string, service: string): KeyedHmac {
  let entry = signingKeys.get(credentials);
  if (!entry || entry.secret !== credentials.secretAccessKey) {
    entry = { secret: credentials.secretAccessKey, keys: new Map() };
    signingKeys.set(credentials, entry);
  }
  const scope = `${shortDate}/${region}/${service}`;
  let key = entry.keys.get(scope);
  if (!key) {
    let k: string | Buffer = `AWS4${credentials.secretAccessKey}`;
    for (const part of [shortDate, region, service, 'aws4_request']) k = createHmac('sha256', k).update(part, 'utf8').digest();
    key = new KeyedHmac(k as Buffer);
    if (entry.keys.size >= MAX_KEYS_PER_CREDENTIALS) entry.keys.clear();
    entry.keys.set(scope, key);
  }
  return key;
}

/** Canonical paths by request path: a mock sees the same few model paths over and over. */
const canonicalPaths = new Map<string, string>();
const MAX_CANONICAL_PATHS = 1024;

// smithy SignatureV4Base.getCanonicalPath with uriEscapePath: drop empty and '.' segments, '..'
// pops, keep the leading and trailing '/', escape the whole, then put the '/' back.
function canonicalPath(path: string): string {
  let canonical = canonicalPaths.get(path);
  if (canonical === undefined) {
    const segments: string[] = [];
    for (const segment of path.split('/')) {
      if (segment.length === 0 || segment === '.') continue;
      if (segment === '..') segments.pop();
      else segments.push(segment);
    }
    const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
    canonical = escapeUri(normalized).replace(/%2F/g, '/');
    if (canonicalPaths.size >= MAX_CANONICAL_PATHS) canonicalPaths.clear();
    canonicalPaths.set(path, canonical);
  }
  return canonical;
}

/** Header values that smithy's three replaces would leave as they are. */
const NEEDS_NORMALIZING = /[\r\n\t]| {2}|^ | $/;

// smithy getCanonicalHeaders' value normalisation (not a trim: one space off each end).
function canonicalValue(value: string): string {
  if (!NEEDS_NORMALIZING.test(value)) return value;
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/**
 * The hex signature smithy would compute for `i`, or undefined when `i` is outside the common case
 * this covers (a query string, header names that are not lowercase or not among the signed ones,
 * credentials that are not strings, anything that throws): the caller then asks smithy.
 */
export function fastSignature(i: SigningInputs): string | undefined {
  try {
    const { credentials } = i;
    if (typeof credentials !== 'object' || credentials === null) return undefined;
    if (typeof credentials.accessKeyId !== 'string' || typeof credentials.secretAccessKey !== 'string') return undefined;
    if (typeof i.region !== 'string' || typeof i.service !== 'string' || i.service === '') return undefined;
    if (Object.keys(i.query).length > 0) return undefined;

    const names = Object.keys(i.headers).sort();
    const signed = new Set(i.signedHeaders);
    const lines: string[] = [];
    for (const name of names) {
      const value = i.headers[name];
      if (typeof value !== 'string' || name !== name.toLowerCase() || !signed.has(name)) return undefined;
      lines.push(`${name}:${canonicalValue(value)}`);
    }
    // HttpRequest's defaults: an empty method is GET, a path gets its leading '/'.
    const method = i.method || 'GET';
    const rawPath = i.path ? (i.path.charAt(0) !== '/' ? `/${i.path}` : i.path) : '/';
    const path = i.escapePath ? canonicalPath(rawPath) : rawPath;
    const canonicalRequest = `${method}\n${path}\n\n${lines.join('\n')}\n\n${names.join(';')}\n${i.payloadHash}`;

    // smithy's string-to-sign takes the scope from longDate, its signing key the day from signingDate.
    const scope = `${i.longDate.slice(0, 8)}/${i.region}/${i.service}/aws4_request`;
    const stringToSign = `AWS4-HMAC-SHA256\n${i.longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    return signingKey(credentials, shortDateOf(i.signingDate), i.region, i.service).hex(stringToSign);
  } catch {
    return undefined;
  }
}
