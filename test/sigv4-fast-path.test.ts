// The SigV4 fast path (node:crypto, no smithy) must give exactly the answers of the smithy-based
// verifier: the same signature whenever it computes one, and the same verdict on every request.
import test from 'ava';
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import { createHash, randomInt } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { computeSigV4, type SigningInputs } from '../mock-bedrock/sigv4-canonical.ts';
import { fastSignature } from '../mock-bedrock/sigv4-fast-verify.ts';
import { headerReader } from '../mock-bedrock/sigv4-header-reader.ts';
import { verifySigV4, type IncomingSignedRequest, type SigV4Options } from '../mock-bedrock/sigv4-verify.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION, OPERATIONS, type Operation } from '../mock-bedrock/wire-constants.ts';

const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 150;

function seedFor(t: ExecutionContext): number {
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
  t.log(`seed=${seed} (replay: FC_SEED=${seed} npx ava test/sigv4-fast-path.test.ts)`);
  return seed;
}

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const CREDS: Creds = { ...DEFAULT_CREDENTIALS };
const T0 = new Date('2024-06-01T12:00:00Z');
const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
/** The SDK's path-label encoding, written out independently of the mock. */
const sdkLabel = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wirePath = (modelId: string, op: Operation) => `/model/${sdkLabel(modelId)}/${op}`;

// ---------- arbitraries ----------

const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1'];
const arbModelId = fc.oneof(
  fc.constantFrom('cohere.command-r-v1:0', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'amazon.nova-micro-v1:0'),
  fc.tuple(fc.constantFrom(...REGIONS), fc.stringMatching(/^\d{12}$/), fc.constantFrom('application-inference-profile', 'inference-profile', 'foundation-model'), fc.stringMatching(/^[a-z0-9.:-]{1,20}$/))
    .map(([region, account, kind, id]) => `arn:aws:bedrock:${region}:${account}:${kind}/${id}`),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
);
const arbBody = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((text) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] })),
);
const RESERVED = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-user-agent']);
const arbHeaderName = fc.stringMatching(/^x-[a-z0-9][a-z0-9-]{0,14}$/).filter((n) => !RESERVED.has(n));
/** Values whose whitespace smithy rewrites: runs, tabs, CR/LF, one or two spaces at either end, non-ASCII. */
const arbMessyValue = fc.oneof(
  fc.array(fc.constantFrom(' ', '  ', '\t', '\r', '\n', 'a', 'Z', '0', '=', ';', '\u00a0', 'é', '✓'), { minLength: 1, maxLength: 12 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);
/** Values as Node hands them over: printable ASCII, no whitespace at the ends. */
const arbWireValue = fc.stringMatching(/^[\x21-\x7e]([\x21-\x7e \t]{0,30}[\x21-\x7e])?$/);
const arbDate = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const arbSecret = fc.oneof(fc.constant(CREDS.secretAccessKey), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }));

// ---------- signing with the real signer ----------

interface SignSpec {
  modelId: string;
  operation: Operation;
  body: string;
  headers: Record<string, string>;
  date: Date;
  credentials: Creds;
  region: string;
  host?: string;
  /** Host put in the request while signing (a gateway signing a host without its port). */
  signedHost?: string;
}

async function sign(spec: SignSpec): Promise<{ request: IncomingSignedRequest; signature: string; signedHeaders: string[] }> {
  const host = spec.host ?? '127.0.0.1:4010';
  const path = wirePath(spec.modelId, spec.operation);
  const signer = new SignatureV4({ credentials: spec.credentials, region: spec.region, service: 'bedrock', sha256: Sha256 });
  const unsigned = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4010,
    path,
    headers: { host: spec.signedHost ?? host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(spec.body)), ...spec.headers },
    body: spec.body,
  });
  const signed = await signer.sign(unsigned, { signingDate: spec.date });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  headers.host = host;
  const authorization = headers.authorization!;
  return {
    request: { method: 'POST', target: path, headers, body: new TextEncoder().encode(spec.body) },
    signature: /Signature=([0-9a-f]+)/.exec(authorization)![1]!,
    signedHeaders: /SignedHeaders=([^,\s]+)/.exec(authorization)![1]!.split(';'),
  };
}

// ---------- (1) the fast signature is the real signer's ----------

test('sigv4 fast path › computes the real signer’s signature for what it signed (colons, ARNs, messy header values, tokens)', async (t) => {
  const seed = seedFor(t);
  await fc.assert(
    fc.asyncProperty(
      arbModelId, fc.constantFrom(...OPERATIONS), arbBody, fc.dictionary(arbHeaderName, arbMessyValue, { maxKeys: 4 }),
      arbDate, arbSecret, fc.option(fc.stringMatching(/^[A-Za-z0-9+/=]{1,40}$/), { nil: undefined }), fc.constantFrom(...REGIONS),
      async (modelId, operation, body, extra, date, secretAccessKey, sessionToken, region) => {
        const credentials = { accessKeyId: CREDS.accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
        const { request, signature, signedHeaders } = await sign({ modelId, operation, body, headers: extra, date, credentials, region });
        // The values exactly as the signer saw them (no Node trimming in between).
        const values: Record<string, string> = { ...request.headers as Record<string, string>, host: '127.0.0.1:4010' };
        for (const [k, v] of Object.entries(extra)) values[k] = v;
        const inputs: SigningInputs = {
          method: 'POST', path: request.target, escapePath: true, query: {},
          headers: Object.fromEntries(signedHeaders.map((name) => [name, values[name]!])),
          signedHeaders, payloadHash: sha256Hex(request.body), longDate: values['x-amz-date']!, signingDate: date,
          region, service: 'bedrock', credentials,
        };
        const fast = fastSignature(inputs);
        if (fast !== signature) throw new Error(`fast path ${fast} where the signer put ${signature}`);
        const smithy = await computeSigV4(inputs);
        if (smithy.signature !== signature) throw new Error(`smithy-based ${smithy.signature} where the signer put ${signature}`);
      },
    ),
    { seed, numRuns: RUNS },
  );
  t.pass();
});

// ---------- (2) arbitrary inputs: smithy's signature, or the fast path stands aside ----------

const arbPath = fc.oneof(
  fc.tuple(arbModelId, fc.constantFrom(...OPERATIONS)).map(([m, op]) => wirePath(m, op)),
  fc.tuple(arbModelId, fc.constantFrom(...OPERATIONS)).map(([m, op]) => `/model/${m}/${op}`),
  fc.array(fc.constantFrom('', '.', '..', 'model', 'a%3A0', 'a:b', 'é', '%2F', ' ', '*', "'()!"), { maxLength: 6 }).map((s) => s.join('/')),
  fc.string({ maxLength: 30 }),
);
const arbHeaders = fc.dictionary(
  fc.oneof(arbHeaderName, fc.constantFrom('host', ':authority', 'x-amz-date', 'content-type', '__proto__', 'constructor', 'X-Upper', 'user-agent', '0')),
  arbMessyValue,
  { maxKeys: 6 },
);

test('sigv4 fast path › on arbitrary signing inputs it gives smithy’s signature, and stands aside only outside the common case', async (t) => {
  const seed = seedFor(t);
  let computed = 0;
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('POST', 'GET', 'PUT', ''), arbPath, fc.boolean(), arbHeaders, fc.constantFrom(true, true, true, false),
      fc.oneof({ arbitrary: fc.constant(undefined), weight: 4 }, { arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { minKeys: 1, maxKeys: 2 }), weight: 1 }),
      arbDate, fc.integer({ min: -1, max: 1 }), fc.constantFrom('us-west-2', 'eu-central-1', ''), fc.constantFrom('bedrock', 'bedrock', 'execute-api', ''),
      arbSecret, fc.stringMatching(/^[0-9a-f]{64}$/),
      async (method, path, escapePath, headers, signAll, query, date, dayShift, region, service, secretAccessKey, payloadHash) => {
        const names = Object.keys(headers);
        // Usually every header is signed; sometimes one more name is listed than present (or one fewer).
        const signedHeaders = signAll ? names : names.slice(1);
        const longDate = new Date(date.getTime() + dayShift * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
        const inputs: SigningInputs = {
          method, path, escapePath, query: query ?? {}, headers, signedHeaders, payloadHash, longDate, signingDate: date,
          region, service, credentials: { accessKeyId: CREDS.accessKeyId, secretAccessKey },
        };
        const fast = fastSignature(inputs);
        let smithy: string | undefined;
        try {
          smithy = (await computeSigV4(inputs)).signature;
        } catch {
          smithy = undefined;
        }
        if (fast !== undefined && fast !== smithy) throw new Error(`fast ${fast}, smithy ${smithy}`);
        const common = query === undefined && service !== '' && names.every((n) => n === n.toLowerCase() && signedHeaders.includes(n));
        if (common && smithy !== undefined && fast === undefined) throw new Error('the fast path stood aside on a common-case input');
        if (fast !== undefined) computed += 1;
      },
    ),
    { seed, numRuns: RUNS * 2 },
  );
  t.log(`the fast path computed ${computed} of ${RUNS * 2} signatures`);
  t.true(computed > RUNS / 4, `the fast path computed only ${computed} signatures`);
});

test('sigv4 fast path › AWS’s own test-suite vectors (get-vanilla, post-vanilla)', async (t) => {
  const vector = (method: string, signature: string) => {
    const inputs: SigningInputs = {
      method, path: '/', escapePath: true, query: {},
      headers: { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }, signedHeaders: ['host', 'x-amz-date'],
      payloadHash: sha256Hex(''), longDate: '20150830T123600Z', signingDate: new Date('2015-08-30T12:36:00Z'),
      region: 'us-east-1', service: 'service', credentials: CREDS,
    };
    return { inputs, signature };
  };
  for (const { inputs, signature } of [
    vector('GET', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'),
    vector('POST', '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b'),
  ]) {
    t.is(fastSignature(inputs), signature, inputs.method);
    t.is((await computeSigV4(inputs)).signature, signature, inputs.method);
  }
});

// ---------- (3) header lookup: the same answers as the scan it replaced ----------

/** headerValue as it was: the exact key, else the first key that lowercases to the name (two full scans). */
function scanHeaderValue(headers: IncomingSignedRequest['headers'], name: string): string | undefined {
  const entry = Object.entries(headers).find(([k]) => k === name) ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name);
  const value: unknown = entry?.[1];
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : undefined;
}

test('sigv4 fast path › header lookup answers what the full scan answered, for any header map and name', (t) => {
  const seed = seedFor(t);
  const arbName = fc.oneof(fc.constantFrom('host', 'Host', 'HOST', 'x-amz-date', 'X-Amz-Date', 'date', ':authority', '__proto__', 'constructor', 'toString', '0', 'K'), fc.string({ maxLength: 6 }));
  const arbValue = fc.oneof(fc.string({ maxLength: 6 }), fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }), fc.constant(undefined));
  fc.assert(
    fc.property(fc.array(fc.tuple(arbName, arbValue), { maxLength: 8 }), fc.array(arbName, { minLength: 1, maxLength: 6 }), (entries, names) => {
      // defineProperty, so '__proto__' becomes a plain own key as it can in a parsed header map.
      const headers: IncomingSignedRequest['headers'] = {};
      for (const [k, v] of entries) Object.defineProperty(headers, k, { value: v, enumerable: true, configurable: true, writable: true });
      const read = headerReader(headers);
      for (const name of [...names, ...names.map((n) => n.toLowerCase())]) {
        if (read(name) !== scanHeaderValue(headers, name)) throw new Error(`'${name}': ${read(name)} vs ${scanHeaderValue(headers, name)}`);
      }
    }),
    { seed, numRuns: RUNS * 4 },
  );
  t.pass();
});

// ---------- (4) end to end: the same verdict with and without the fast path ----------

const TAMPERS = ['none', 'header', 'body', 'path', 'method', 'secret', 'skew', 'region', 'host-without-port', 'unsigned-header', 'dropped-header', 'content-sha', 'scope-date', 'h2-authority'] as const;

test('sigv4 fast path › every verdict equals the smithy-only verifier’s, over signed and tampered requests', async (t) => {
  const seed = seedFor(t);
  const seen = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(
      arbModelId, fc.constantFrom(...OPERATIONS), arbBody, fc.dictionary(arbHeaderName, arbWireValue, { maxKeys: 3 }),
      fc.constantFrom(...TAMPERS), fc.nat(), fc.boolean(),
      fc.constantFrom<'none' | 'mock-only' | 'client-only' | 'both' | 'different'>('none', 'none', 'mock-only', 'client-only', 'both', 'different'),
      fc.integer({ min: -600, max: 600 }),
      async (modelId, operation, body, extra, tamper, pick, acceptHostWithoutPort, tokens, skewS) => {
        const token = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN';
        const clientToken = tokens === 'client-only' || tokens === 'both' ? token : tokens === 'different' ? `${token}2` : undefined;
        const mockToken = tokens === 'mock-only' || tokens === 'both' || tokens === 'different' ? token : undefined;
        const clientCreds = { ...CREDS, ...(tamper === 'secret' ? { secretAccessKey: `${CREDS.secretAccessKey}x` } : {}), ...(clientToken ? { sessionToken: clientToken } : {}) };
        const { request } = await sign({
          modelId, operation, body, headers: extra, date: T0, credentials: clientCreds, region: DEFAULT_REGION,
          ...(tamper === 'host-without-port' ? { signedHost: '127.0.0.1' } : {}),
        });
        const h = request.headers as Record<string, string>;
        const names = Object.keys(extra);
        if (tamper === 'header') {
          const name = ['content-type', ...names][pick % (names.length + 1)]!;
          h[name] = `${h[name]}0`;
        } else if (tamper === 'body') {
          const bytes = new Uint8Array(request.body.length === 0 ? [0x7b] : request.body);
          if (request.body.length > 0) bytes[pick % bytes.length]! ^= 1 << pick % 8;
          request.body = bytes;
        } else if (tamper === 'path') {
          request.target = pick % 2 ? wirePath(`${modelId}x`, operation) : `/model/${modelId}/${operation}`;
        } else if (tamper === 'method') {
          request.method = ['GET', 'PUT', 'DELETE'][pick % 3]!;
        } else if (tamper === 'unsigned-header') {
          h[`x-added-${pick % 100}`] = 'added after signing';
        } else if (tamper === 'dropped-header') {
          delete h[['content-type', 'content-length', ...names][pick % (names.length + 2)]!];
        } else if (tamper === 'content-sha') {
          h['x-amz-content-sha256'] = pick % 2 ? 'UNSIGNED-PAYLOAD' : sha256Hex('something else');
        } else if (tamper === 'scope-date') {
          h.authorization = h.authorization!.replace('/20240601/', '/20240531/');
        } else if (tamper === 'h2-authority') {
          h[':authority'] = h.host!;
          delete h.host;
        }
        const opts: SigV4Options = {
          credentials: { ...CREDS, ...(mockToken ? { sessionToken: mockToken } : {}) },
          region: tamper === 'region' ? 'eu-central-1' : DEFAULT_REGION,
          now: () => new Date(T0.getTime() + (tamper === 'skew' ? skewS * 1000 : 0)),
          acceptHostWithoutPort,
        };
        const fast = await verifySigV4({ ...request, headers: { ...h } }, opts);
        const smithy = await verifySigV4({ ...request, headers: { ...h } }, { ...opts, fastPath: false });
        if (JSON.stringify(fast) !== JSON.stringify(smithy)) {
          throw new Error(`${tamper}: fast path ${JSON.stringify(fast)}\nsmithy only ${JSON.stringify(smithy)}`);
        }
        const key = `${tamper}:${fast.ok ? 'ok' : 'rejected'}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      },
    ),
    { seed, numRuns: RUNS * 3 },
  );
  t.log([...seen].sort().map(([k, n]) => `${k}=${n}`).join(' '));
  // The property covered both answers: requests accepted (the fast path's case) and rejected.
  t.true((seen.get('none:ok') ?? 0) > 0 && [...seen.keys()].some((k) => k.endsWith(':rejected')));
});
