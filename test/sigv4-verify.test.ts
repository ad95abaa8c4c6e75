import test from 'ava';
import type { ExecutionContext } from 'ava';
import fc from 'fast-check';
import { randomInt } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request as httpRequest } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from '@aws-sdk/client-bedrock-runtime';
import { verifySigV4 } from '../mock-bedrock/sigv4-verify.ts';
import type { IncomingSignedRequest, SigV4Options, SigV4Verdict } from '../mock-bedrock/sigv4-verify.ts';
import { CORAL_SERVICE_NAMESPACE, DEFAULT_CREDENTIALS, DEFAULT_REGION, OPERATIONS } from '../mock-bedrock/wire-constants.ts';
import type { Operation } from '../mock-bedrock/wire-constants.ts';

// ---------- seeds ----------

const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 100;

function seedFor(t: ExecutionContext): number {
  // A fresh seed per run is fine: it is printed, and FC_SEED replays it.
  const seed = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : randomInt(2 ** 31 - 1);
  t.log(`seed=${seed} (replay: FC_SEED=${seed} npx ava test/sigv4-verify.test.ts)`);
  return seed;
}

// ---------- signing the way the AWS SDK does ----------

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const CREDS: Creds = { ...DEFAULT_CREDENTIALS };
const T0 = new Date('2024-06-01T12:00:00Z');
const OPTS: SigV4Options = { credentials: CREDS, region: DEFAULT_REGION, now: () => T0 };

/** The SDK's path-label encoding (smithy extendedEncodeURIComponent), written out independently. */
const sdkLabel = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const wirePath = (modelId: string, op: Operation): string => `/model/${sdkLabel(modelId)}/${op}`;

interface SignSpec {
  modelId?: string;
  operation?: Operation;
  body?: string;
  host?: string;
  /** Host value put in the request while signing, when a gateway signs something else than it sends. */
  signedHost?: string;
  /** Path handed to the signer, when a gateway signs something else than the wire path. */
  signPath?: string;
  /** Target actually sent (defaults to the SDK wire path). */
  target?: string;
  method?: string;
  date?: Date;
  credentials?: Creds;
  extraHeaders?: Record<string, string>;
  applyChecksum?: boolean;
  invocationId?: string;
}

async function signLikeSdk(spec: SignSpec = {}): Promise<IncomingSignedRequest> {
  const modelId = spec.modelId ?? 'cohere.command-r-v1:0';
  const operation = spec.operation ?? 'converse-stream';
  const body = spec.body ?? '{"messages":[{"role":"user","content":[{"text":"What is the most popular song on WZPZ?"}]}]}';
  const host = spec.host ?? '127.0.0.1:4010';
  const target = spec.target ?? wirePath(modelId, operation);
  const signer = new SignatureV4({
    credentials: spec.credentials ?? CREDS,
    region: DEFAULT_REGION,
    service: 'bedrock',
    sha256: Sha256,
    applyChecksum: spec.applyChecksum ?? true,
  });
  const bytes = new TextEncoder().encode(body);
  const unsigned = new HttpRequest({
    method: spec.method ?? 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4010,
    path: spec.signPath ?? target.split('?')[0]!,
    headers: {
      host: spec.signedHost ?? host,
      'content-type': 'application/json',
      'content-length': String(bytes.length),
      'amz-sdk-invocation-id': spec.invocationId ?? '3f1c2a52-6e1b-4bb1-9a61-5d0e8c4b7a10',
      'amz-sdk-request': 'attempt=1; max=1',
      'x-amz-user-agent': 'aws-sdk-js/3.1164.0',
      'user-agent': 'aws-sdk-js/3.1164.0 ua/2.1 os/linux lang/js md/nodejs#20',
      ...spec.extraHeaders,
    },
    body,
  });
  const signed = await signer.sign(unsigned, { signingDate: spec.date ?? T0 });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = v;
  headers.host = host;
  return { method: spec.method ?? 'POST', target, headers, body: bytes };
}

function assertRejected(t: ExecutionContext, v: SigV4Verdict, reason: RegExp, errorType = 'InvalidSignatureException'): void {
  if (v.ok) {
    t.fail(`expected a rejection matching ${reason}, got ok (${v.findings.join('; ')})`);
    return;
  }
  t.is(v.errorType, errorType, v.reason);
  t.is(v.status, 403);
  t.regex(v.reason, reason);
}

// ---------- a loopback server that hands back what Node received ----------

let server: Server;
let port = 0;
let lastReceived: IncomingSignedRequest | undefined;

test.before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      lastReceived = { method: req.method ?? '', target: req.url ?? '', headers: req.headers, body: new Uint8Array(Buffer.concat(chunks)) };
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

test.after.always(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends a signed request over real HTTP/1.1 and returns it as the mock's Node server would see it. */
async function throughNode(req: IncomingSignedRequest): Promise<IncomingSignedRequest> {
  lastReceived = undefined;
  await new Promise<void>((resolve, reject) => {
    const out = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.target, headers: req.headers as Record<string, string> },
      (res) => {
        res.resume();
        res.on('end', resolve);
      },
    );
    out.on('error', reject);
    out.end(Buffer.from(req.body));
  });
  if (!lastReceived) throw new Error('server saw no request');
  return lastReceived;
}

// ---------- arbitraries ----------

const REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-northeast-1'];
const arbModelId = fc.oneof(
  fc.constantFrom('cohere.command-r-v1:0', 'amazon.nova-micro-v1:0', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'anthropic.claude-v2'),
  fc
    .tuple(fc.constantFrom('', 'us.', 'eu.', 'apac.', 'global.'), fc.stringMatching(/^[a-z]{2,10}\.[a-z0-9-]{1,24}$/), fc.option(fc.integer({ min: 0, max: 9 }), { nil: undefined }))
    .map(([prefix, name, v]) => `${prefix}${name}${v === undefined ? '' : `-v1:${v}`}`),
  fc
    .tuple(fc.constantFrom(...REGIONS), fc.stringMatching(/^\d{12}$/), fc.constantFrom('application-inference-profile', 'inference-profile', 'foundation-model'), fc.stringMatching(/^[a-z0-9.:-]{1,20}$/))
    .map(([region, account, kind, id]) => `arn:aws:bedrock:${region}:${account}:${kind}/${id}`),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
);
const arbBody = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }).map((text) => JSON.stringify({ messages: [{ role: 'user', content: [{ text }] }] })),
);
const RESERVED = new Set(['x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'x-amz-user-agent', 'x-amzn-trace-id']);
const arbHeaderName = fc.stringMatching(/^x-[a-z0-9][a-z0-9-]{0,14}$/).filter((n) => !RESERVED.has(n));
// Printable ASCII with inner runs of spaces/tabs: Node strips the ends, the signer collapses the runs.
const arbHeaderValue = fc.stringMatching(/^[\x21-\x7e]([\x21-\x7e \t]{0,30}[\x21-\x7e])?$/);
const arbHeaders = fc.dictionary(arbHeaderName, arbHeaderValue, { maxKeys: 4 });
const arbDate = fc.date({ min: new Date('2015-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));

// ---------- (1) accepted: signed like the SDK, received by Node ----------

test('sigv4 › requests signed like the SDK and received over HTTP/1.1 are accepted', async (t) => {
  const seed = seedFor(t);
  await fc.assert(
    fc.asyncProperty(
      arbModelId,
      fc.constantFrom(...OPERATIONS),
      arbBody,
      arbHeaders,
      arbHeaders,
      arbDate,
      fc.integer({ min: -240_000, max: 240_000 }),
      fc.uuid(),
      async (modelId, operation, body, signedExtra, unsignedExtra, date, skewMs, invocationId) => {
        const signed = await signLikeSdk({ modelId, operation, body, host: `127.0.0.1:${port}`, extraHeaders: signedExtra, date, invocationId });
        // A proxy may add headers after signing; they are not in SignedHeaders and must not matter.
        for (const [k, v] of Object.entries(unsignedExtra)) if (!(k in signed.headers)) signed.headers[k] = v;
        const received = await throughNode(signed);
        if (received.target !== wirePath(modelId, operation)) throw new Error(`Node changed the target: ${received.target}`);
        const verdict = await verifySigV4(received, { ...OPTS, now: () => new Date(date.getTime() + skewMs) });
        if (!verdict.ok) throw new Error(`rejected: ${verdict.reason}`);
        if (verdict.findings.length > 0) throw new Error(`unexpected findings: ${verdict.findings.join('; ')}`);
      },
    ),
    { seed, numRuns: RUNS },
  );
  t.pass();
});

// ---------- (2) rejected: any signed part changed, with the right cause ----------

type Mutation = 'header' | 'body' | 'path' | 'method' | 'date' | 'secret';
const CAUSE: Record<Mutation, RegExp> = {
  header: /^signature mismatch: no known gateway mistake/,
  body: /^body hash mismatch: the body changed after signing/,
  path: /^signature mismatch: no known gateway mistake/,
  method: /^method: signed as POST but the request came as /,
  date: /^clock skew: /,
  secret: /^signature mismatch: no known gateway mistake/,
};

test('sigv4 › changing any signed part is rejected and the reason names the cause', async (t) => {
  const seed = seedFor(t);
  await fc.assert(
    fc.asyncProperty(
      arbModelId,
      fc.constantFrom(...OPERATIONS),
      arbBody,
      arbHeaders,
      fc.constantFrom<Mutation>('header', 'body', 'path', 'method', 'date', 'secret'),
      fc.nat(),
      fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE'),
      fc.integer({ min: 1, max: 86_400 }).chain((s) => fc.constantFrom(s, -s)),
      async (modelId, operation, body, extra, mutation, pick, method, driftS) => {
        const secret = mutation === 'secret' ? `${CREDS.secretAccessKey}x` : CREDS.secretAccessKey;
        const req = await signLikeSdk({ modelId, operation, body, extraHeaders: extra, credentials: { ...CREDS, secretAccessKey: secret } });
        let now = T0;
        if (mutation === 'header') {
          const names = ['content-type', 'amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent', ...Object.keys(extra)];
          const name = names[pick % names.length]!;
          req.headers[name] = `${req.headers[name] as string}0`;
        } else if (mutation === 'body') {
          const bytes = new Uint8Array(req.body.length === 0 ? [0x7b] : req.body);
          if (req.body.length > 0) bytes[pick % bytes.length] ^= 1 << pick % 8;
          req.body = bytes;
        } else if (mutation === 'path') {
          req.target = wirePath(`${modelId}x`, operation);
        } else if (mutation === 'method') {
          req.method = method;
        } else if (mutation === 'date') {
          now = new Date(T0.getTime() + Math.sign(driftS) * 300_000 + driftS * 1000);
        }
        const verdict = await verifySigV4(req, { ...OPTS, now: () => now });
        if (verdict.ok) throw new Error(`${mutation}: accepted`);
        if (verdict.status !== 403 || verdict.errorType !== 'InvalidSignatureException') throw new Error(`${mutation}: ${verdict.errorType} ${verdict.status}`);
        if (!CAUSE[mutation].test(verdict.reason)) throw new Error(`${mutation}: reason '${verdict.reason}' does not match ${CAUSE[mutation]}`);
        if (mutation === 'date' && !/^Signature (expired: .* is now earlier than|not yet current: .* is still later than) /.test(verdict.message)) {
          throw new Error(`date: message '${verdict.message}'`);
        }
        if (mutation !== 'date' && !verdict.expected?.canonicalRequest.split('\n')[1]!.startsWith('/model/')) throw new Error(`${mutation}: no expected canonical request`);
      },
    ),
    { seed, numRuns: RUNS },
  );
  t.pass();
});

// ---------- (3) table: diagnoses and policies ----------

test('sigv4 › a mismatch answers AWS’s message with the canonical request and string-to-sign the real signer uses', async (t) => {
  const good = await signLikeSdk();
  const bad = await signLikeSdk({ credentials: { ...CREDS, secretAccessKey: 'wrong' } });
  const v = await verifySigV4(bad, OPTS);
  assertRejected(t, v, /^signature mismatch/);
  if (v.ok) return;
  t.regex(
    v.message,
    /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'POST\n\/model\/cohere\.command-r-v1%253A0\/converse-stream\n\n[^']*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20240601T120000Z\n20240601\/us-west-2\/bedrock\/aws4_request\n[0-9a-f]{64}'\n$/,
  );
  // Independent check: the real signer, given our string-to-sign, yields the signature it put on the good request.
  const signer = new SignatureV4({ credentials: CREDS, region: DEFAULT_REGION, service: 'bedrock', sha256: Sha256 });
  const fromOurs = await signer.sign(v.expected!.stringToSign, { signingDate: T0 });
  t.true((good.headers.authorization as string).endsWith(`Signature=${fromOurs}`));
  t.regex(v.expected!.canonicalRequest, /\n\namz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent\n[0-9a-f]{64}$/);
});

const PATH_TABLE: Array<{ title: string; modelId: string; signPath: string; target?: string; reason: RegExp }> = [
  {
    title: 'singly-encoded (the gateway signed the decoded path)',
    modelId: 'cohere.command-r-v1:0',
    signPath: '/model/cohere.command-r-v1:0/converse-stream',
    reason: /^path encoding: the gateway signed the path singly-encoded \('\/model\/cohere\.command-r-v1%3A0\/converse-stream'\), but .* AWS's canonical path is '\/model\/cohere\.command-r-v1%253A0\/converse-stream' \(double-encoded\)$/,
  },
  {
    title: 'triple-encoded',
    modelId: 'us.anthropic.claude-3-5-sonnet-20240620-v1:0',
    signPath: '/model/us.anthropic.claude-3-5-sonnet-20240620-v1%253A0/converse-stream',
    reason: /signed the path triple-encoded \('[^']*v1%25253A0[^']*'\)/,
  },
  {
    title: 'unencoded (the signer was told not to escape the decoded path)',
    modelId: 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123',
    signPath: '/model/arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123/converse-stream',
    reason: /signed the path singly-encoded \('\/model\/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile\/abc123\/converse-stream'\)/,
  },
  {
    title: 'double-encoded for a raw-colon wire path',
    modelId: 'cohere.command-r-v1:0',
    signPath: '/model/cohere.command-r-v1%3A0/converse',
    target: '/model/cohere.command-r-v1:0/converse',
    reason: /signed the path double-encoded \('\/model\/cohere\.command-r-v1%253A0\/converse'\), but .* canonical path is '\/model\/cohere\.command-r-v1%3A0\/converse' \(singly-encoded\)$/,
  },
];

for (const row of PATH_TABLE) {
  test(`sigv4 › path signed ${row.title} is diagnosed`, async (t) => {
    const req = await signLikeSdk({ modelId: row.modelId, signPath: row.signPath, target: row.target });
    assertRejected(t, await verifySigV4(req, OPTS), row.reason);
  });
}

test('sigv4 › a raw colon in the wire path, signed as AWS canonicalises it, is accepted', async (t) => {
  const req = await signLikeSdk({ target: '/model/cohere.command-r-v1:0/converse' });
  t.deepEqual(await verifySigV4(req, OPTS), { ok: true, scheme: 'sigv4', findings: [] });
});

test('sigv4 › host signed without the port is rejected, or accepted with a finding under acceptHostWithoutPort', async (t) => {
  const req = await signLikeSdk({ signedHost: '127.0.0.1' });
  assertRejected(t, await verifySigV4(req, OPTS), /^host signed without port 4010 .*set acceptHostWithoutPort/);
  t.deepEqual(await verifySigV4(req, { ...OPTS, acceptHostWithoutPort: true }), {
    ok: true,
    scheme: 'sigv4',
    findings: ['host signed without port 4010 (accepted: acceptHostWithoutPort)'],
  });
  const exact = await signLikeSdk();
  t.deepEqual(await verifySigV4(exact, { ...OPTS, acceptHostWithoutPort: true }), { ok: true, scheme: 'sigv4', findings: [] });
});

test('sigv4 › host without port plus a singly-encoded path (Kong-style) names both and stays rejected', async (t) => {
  const req = await signLikeSdk({ signedHost: '127.0.0.1', signPath: '/model/cohere.command-r-v1:0/converse-stream' });
  const v = await verifySigV4(req, { ...OPTS, acceptHostWithoutPort: true });
  assertRejected(t, v, /^host signed without port 4010 .*; path encoding: the gateway signed the path singly-encoded/);
});

test('sigv4 › headers smithy would never sign (user-agent, x-amzn-trace-id) verify when a client did sign them', async (t) => {
  const signer = new SignatureV4({ credentials: CREDS, region: DEFAULT_REGION, service: 'bedrock', sha256: Sha256 });
  const unsigned = new HttpRequest({
    method: 'POST',
    hostname: '127.0.0.1',
    port: 4010,
    path: wirePath('cohere.command-r-v1:0', 'converse'),
    headers: { host: '127.0.0.1:4010', 'user-agent': 'Boto3/1.34.0 md/Botocore#1.34.0', 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793', 'content-type': 'application/json' },
    body: '{}',
  });
  const signed = await signer.sign(unsigned, { signingDate: T0, signableHeaders: new Set(['user-agent', 'x-amzn-trace-id']) });
  t.regex(signed.headers.authorization!, /SignedHeaders=content-type;host;user-agent;x-amz-content-sha256;x-amz-date;x-amzn-trace-id,/);
  const req = { method: 'POST', target: signed.path, headers: signed.headers, body: new TextEncoder().encode('{}') };
  t.deepEqual(await verifySigV4(req, OPTS), { ok: true, scheme: 'sigv4', findings: [] });
  req.headers['user-agent'] = 'Boto3/1.34.1 md/Botocore#1.34.1';
  assertRejected(t, await verifySigV4(req, OPTS), /^signature mismatch/);
});

test('sigv4 › host signed as the real AWS endpoint is diagnosed', async (t) => {
  const req = await signLikeSdk({ signedHost: 'bedrock-runtime.us-west-2.amazonaws.com' });
  assertRejected(t, await verifySigV4(req, OPTS), /^host signed as the AWS endpoint 'bedrock-runtime\.us-west-2\.amazonaws\.com' but the request carries '127\.0\.0\.1:4010'/);
});

test('sigv4 › a signed header dropped after signing is named', async (t) => {
  const req = await signLikeSdk();
  delete req.headers['amz-sdk-invocation-id'];
  assertRejected(t, await verifySigV4(req, OPTS), /^signed header 'amz-sdk-invocation-id' missing from the request/);
});

test('sigv4 › a body changed after signing without x-amz-content-sha256 falls back to the general reason', async (t) => {
  const req = await signLikeSdk({ applyChecksum: false });
  t.false('x-amz-content-sha256' in req.headers);
  t.true((await verifySigV4(req, OPTS)).ok);
  req.body = new TextEncoder().encode('{"messages":[]}');
  assertRejected(t, await verifySigV4(req, OPTS), /^signature mismatch: no known gateway mistake/);
});

test('sigv4 › x-amz-content-sha256 that matches neither body nor signature is a body hash mismatch', async (t) => {
  const req = await signLikeSdk();
  req.headers['x-amz-content-sha256'] = 'UNSIGNED-PAYLOAD';
  assertRejected(t, await verifySigV4(req, OPTS), /^body hash mismatch: x-amz-content-sha256 is UNSIGNED-PAYLOAD/);
});

const TOKEN = 'FwoGZXIvYXdzEXAMPLEsessionTOKEN';
const TOKEN_TABLE: Array<{ title: string; sign: Creds; addUnsigned?: string; opts: Partial<Creds>; verdict: RegExp | 'ok'; type?: string }> = [
  { title: 'a forwarded client token (signed) is rejected with long-term mock keys', sign: { ...CREDS, sessionToken: TOKEN }, opts: {}, verdict: /forwarded the client's session token/, type: 'UnrecognizedClientException' },
  { title: 'a forwarded client token (unsigned) is rejected with long-term mock keys', sign: CREDS, addUnsigned: TOKEN, opts: {}, verdict: /present \(unsigned\)/, type: 'UnrecognizedClientException' },
  { title: 'the mock’s own token, signed, is accepted', sign: { ...CREDS, sessionToken: TOKEN }, opts: { sessionToken: TOKEN }, verdict: 'ok' },
  { title: 'a missing token is rejected with temporary mock keys', sign: CREDS, opts: { sessionToken: TOKEN }, verdict: /x-amz-security-token missing/, type: 'UnrecognizedClientException' },
  { title: 'another token is rejected', sign: { ...CREDS, sessionToken: `${TOKEN}2` }, opts: { sessionToken: TOKEN }, verdict: /does not match/, type: 'UnrecognizedClientException' },
  { title: 'the right token left unsigned is rejected', sign: CREDS, addUnsigned: TOKEN, opts: { sessionToken: TOKEN }, verdict: /not in SignedHeaders/ },
];

for (const row of TOKEN_TABLE) {
  test(`sigv4 › session token: ${row.title}`, async (t) => {
    const req = await signLikeSdk({ credentials: row.sign });
    if (row.addUnsigned) req.headers['x-amz-security-token'] = row.addUnsigned;
    const v = await verifySigV4(req, { ...OPTS, credentials: { ...CREDS, ...row.opts } });
    if (row.verdict === 'ok') t.deepEqual(v, { ok: true, scheme: 'sigv4', findings: [] });
    else assertRejected(t, v, row.verdict, row.type);
    if (!v.ok) t.false(v.message.includes(TOKEN) || v.reason.includes(TOKEN), 'the token never appears in the verdict');
  });
}

test('sigv4 › the session token is redacted from the shown canonical request', async (t) => {
  const req = await signLikeSdk({ credentials: { ...CREDS, sessionToken: TOKEN, secretAccessKey: 'wrong' } });
  const v = await verifySigV4(req, { ...OPTS, credentials: { ...CREDS, sessionToken: TOKEN } });
  assertRejected(t, v, /^signature mismatch/);
  if (v.ok) return;
  t.regex(v.expected!.canonicalRequest, /\nx-amz-security-token:<redacted>\n/);
  t.false(v.message.includes(TOKEN));
});

test('sigv4 › Bearer API keys: configured key accepted, others rejected in Bedrock’s words', async (t) => {
  const bearer = (key: string): IncomingSignedRequest => ({ method: 'POST', target: wirePath('cohere.command-r-v1:0', 'converse'), headers: { authorization: `Bearer ${key}` }, body: new Uint8Array() });
  const opts = { ...OPTS, apiKeys: ['ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl'] };
  t.deepEqual(await verifySigV4(bearer('ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl'), opts), { ok: true, scheme: 'bearer', findings: [] });
  const unknown = await verifySigV4(bearer('ABSKdW5rbm93bg=='), opts);
  assertRejected(t, unknown, /not one of the configured API keys/, 'AccessDeniedException');
  t.is(!unknown.ok && unknown.message, 'Authentication failed: Please make sure your API Key is valid.');
  const malformed = await verifySigV4(bearer('sk-not-bedrock'), opts);
  assertRejected(t, malformed, /does not start with 'ABSK'/, 'AccessDeniedException');
  t.is(!malformed.ok && malformed.message, 'Invalid API Key format: Must start with pre-defined prefix');
  assertRejected(t, await verifySigV4(bearer('ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl'), OPTS), /no API keys configured/, 'AccessDeniedException');
  t.false(JSON.stringify(unknown).includes('ABSKdW5rbm93bg=='), 'the key is not echoed');
});

test('sigv4 › a missing Authorization header answers Bedrock’s 403', async (t) => {
  const req = await signLikeSdk();
  delete req.headers.authorization;
  const v = await verifySigV4(req, OPTS);
  assertRejected(t, v, /^missing Authorization header$/, 'AccessDeniedException');
  t.is(!v.ok && v.message, 'Authorization header is missing');
});

test('sigv4 › credential scope and access key are checked in AWS’s words', async (t) => {
  const req = await signLikeSdk();
  const auth = req.headers.authorization as string;
  const swap = (from: string, to: string): IncomingSignedRequest => ({ ...req, headers: { ...req.headers, authorization: auth.replace(from, to) } });
  const region = await verifySigV4(swap('/us-west-2/', '/us-east-1/'), OPTS);
  assertRejected(t, region, /^credential scope: region 'us-east-1' where the mock is 'us-west-2'$/);
  t.is(!region.ok && region.message, "Credential should be scoped to a valid region, not 'us-east-1'. ");
  const service = await verifySigV4(swap('/bedrock/', '/bedrock-runtime/'), OPTS);
  assertRejected(t, service, /service 'bedrock-runtime'/);
  t.is(!service.ok && service.message, "Credential should be scoped to correct service: 'bedrock'. ");
  const day = await verifySigV4(swap('/20240601/', '/20240531/'), OPTS);
  assertRejected(t, day, /scope date '20240531' differs from x-amz-date '20240601T120000Z'/);
  t.is(!day.ok && day.message, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20240531' != '20240601', from '20240601T120000Z'.");
  // An access key id the mock does not know, built here so no key-shaped literal is committed.
  const unknownKeyId = `AKIA${'0'.repeat(14)}LE`;
  const key = await verifySigV4(swap('Credential=AKIDEXAMPLE/', `Credential=${unknownKeyId}/`), OPTS);
  assertRejected(t, key, /^unknown access key id AKIA…LE \(20 chars\)/, 'UnrecognizedClientException');
  t.is(!key.ok && key.message, 'The security token included in the request is invalid.');
  const skewed = await verifySigV4(req, { ...OPTS, now: () => new Date(T0.getTime() + 10 * 60_000) });
  t.is(!skewed.ok && skewed.message, 'Signature expired: 20240601T120000Z is now earlier than 20240601T120500Z (20240601T121000Z - 5 min.)');
  const early = await verifySigV4(req, { ...OPTS, now: () => new Date(T0.getTime() - 10 * 60_000) });
  t.is(!early.ok && early.message, 'Signature not yet current: 20240601T120000Z is still later than 20240601T115500Z (20240601T115000Z + 5 min.)');
});

const GARBLED: Array<[string, string, string | undefined, RegExp]> = [
  ['algorithm only', 'AWS4-HMAC-SHA256', undefined, /^Authorization header requires 'Credential' parameter\. Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization=/],
  ['no Signature or SignedHeaders', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request', undefined, /requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./],
  ['Basic scheme', 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', undefined, /Authorization=Basic <redacted>$/],
  ['a bare word', 'AWS4-HMAC-SHA256 garbage', undefined, /^'garbage' not a valid key=value pair \(missing equal-sign\) in Authorization header/],
  ['a 3-part Credential', 'AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00', undefined, /^Credential must have exactly 5 slash-delimited elements, e\.g\. keyid\/date\/region\/service\/term, got 'a\/b\/c'$/],
  ['another algorithm', 'AWS4-ECDSA-P256-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=00', undefined, /^Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'/],
  ['host not signed', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request, SignedHeaders=content-type, Signature=00', undefined, /^'Host' must be a 'SignedHeader' in the AWS Authorization\.$/],
  ['an extended-format date', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=00', '2024-06-01T12:00:00Z', /^Date must be in ISO-8601 'basic format'\. Got '2024-06-01T12:00:00Z'\./],
  ['an empty Signature', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=', '20240601T120000Z', /^The request signature we calculated does not match/],
  ['prototype names as signed headers', 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240601/us-west-2/bedrock/aws4_request, SignedHeaders=__proto__;constructor;host;toString, Signature=00', '20240601T120000Z', /^The request signature we calculated does not match/],
];

for (const [label, authorization, amzDate, message] of GARBLED) {
  test(`sigv4 › garbled Authorization (${label}) gets a well-formed rejection in AWS's words`, async (t) => {
    const headers: Record<string, string> = { host: '127.0.0.1:4010', authorization };
    headers['x-amz-date'] = amzDate ?? '20240601T120000Z';
    const v = await verifySigV4({ method: 'POST', target: '/model/x/converse', headers, body: new Uint8Array() }, OPTS);
    if (v.ok) return t.fail('accepted');
    t.is(v.status, 403);
    t.regex(v.message, message);
    t.true(v.reason.length > 0 && v.errorType.endsWith('Exception'));
  });
}

test('sigv4 › arbitrary headers, targets and bodies never throw and never fault', async (t) => {
  const seed = seedFor(t);
  const arbAuth = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 80 }),
    fc.tuple(fc.constantFrom('AWS4-HMAC-SHA256 ', 'AWS4-', 'Bearer ', ''), fc.string({ maxLength: 120 })).map(([a, b]) => a + b),
    fc.record({ c: fc.string({ maxLength: 60 }), s: fc.string({ maxLength: 60 }), g: fc.stringMatching(/^[0-9a-f]{0,64}$/) }).map(({ c, s, g }) => `AWS4-HMAC-SHA256 Credential=${c}, SignedHeaders=${s}, Signature=${g}`),
  );
  await fc.assert(
    fc.asyncProperty(
      fc.option(arbAuth, { nil: undefined }),
      fc.option(fc.oneof(fc.string({ maxLength: 20 }), arbDate.map((d) => d.toISOString().replace(/[-:]|\.\d{3}/g, ''))), { nil: undefined }),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }).map((s) => s.toLowerCase()), fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 })), { maxKeys: 5 }),
      fc.uint8Array({ maxLength: 64 }),
      async (authorization, amzDate, target, extra, body) => {
        const headers: Record<string, string | string[] | undefined> = { ...extra, authorization, 'x-amz-date': amzDate };
        const v = await verifySigV4({ method: 'POST', target, headers, body }, OPTS);
        if (v.ok) throw new Error('accepted an unsigned request');
        if (v.status !== 403 || !v.errorType || !v.reason || !v.message) throw new Error(`ill-formed verdict ${JSON.stringify(v)}`);
      },
    ),
    { seed, numRuns: RUNS * 3 },
  );
  t.pass();
});

// ---------- (4) the real AWS SDK client ----------

type Captured = { method: string; path: string; query?: Record<string, unknown>; headers: Record<string, string>; body?: unknown };

/** Runs a command through the real client and returns the request its signer produced, as Node would present it. */
async function captureSdkRequest(send: (c: BedrockRuntimeClient) => Promise<unknown>, handlerProtocol: 'http/1.1' | 'h2'): Promise<IncomingSignedRequest> {
  let captured: Captured | undefined;
  const client = new BedrockRuntimeClient({
    region: DEFAULT_REGION,
    endpoint: 'http://127.0.0.1:4010',
    credentials: CREDS,
    maxAttempts: 1,
    requestHandler: {
      metadata: { handlerProtocol },
      handle: async (request: Captured) => {
        captured = request;
        throw new Error('captured');
      },
    } as never,
  });
  await send(client).catch((err: Error) => {
    if (err.message !== 'captured') throw err;
  });
  if (!captured) throw new Error('nothing captured');
  const query = new URLSearchParams(captured.query as Record<string, string>).toString();
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(captured.headers)) headers[k.toLowerCase()] = v;
  const raw = captured.body;
  // The SDK hands over a string (InvokeModel) or a Uint8Array subclass (Converse's JsonBytesStringAdapter).
  const body = raw === undefined ? new Uint8Array() : typeof raw === 'string' ? new TextEncoder().encode(raw) : Uint8Array.from(raw as Uint8Array);
  if (String(body.length) !== headers['content-length']) throw new Error(`captured body has ${body.length} bytes, content-length says ${headers['content-length']}`);
  return { method: captured.method, target: query ? `${captured.path}?${query}` : captured.path, headers, body };
}

const SDK_MODELS = ['cohere.command-r-v1:0', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0', 'arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123'];
const messages = [{ role: 'user' as const, content: [{ text: 'What is the most popular song on WZPZ? ✓' }] }];
const invokeBody = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] });
const SDK_COMMANDS: Array<[string, (modelId: string) => (c: BedrockRuntimeClient) => Promise<unknown>]> = [
  ['ConverseStream', (modelId) => (c) => c.send(new ConverseStreamCommand({ modelId, messages }))],
  ['Converse', (modelId) => (c) => c.send(new ConverseCommand({ modelId, messages }))],
  ['InvokeModel', (modelId) => (c) => c.send(new InvokeModelCommand({ modelId, body: invokeBody, contentType: 'application/json' }))],
  ['InvokeModelWithResponseStream', (modelId) => (c) => c.send(new InvokeModelWithResponseStreamCommand({ modelId, body: invokeBody }))],
];

for (const protocol of ['http/1.1', 'h2'] as const) {
  for (const [name, command] of SDK_COMMANDS) {
    test(`sigv4 › the AWS SDK's ${name} request over ${protocol} verifies for every model id shape`, async (t) => {
      for (const modelId of SDK_MODELS) {
        const req = await captureSdkRequest(command(modelId), protocol);
        t.true(req.target.startsWith(`/model/${sdkLabel(modelId)}/`), req.target);
        t.true(req.target.includes('%3A'));
        if (protocol === 'h2') t.truthy(req.headers[':authority']);
        else t.is(req.headers.host, '127.0.0.1:4010');
        const signedHeaders = /SignedHeaders=([^,]+)/.exec(req.headers.authorization as string)?.[1] ?? '';
        t.true(signedHeaders.includes(protocol === 'h2' ? ':authority' : 'host'), signedHeaders);
        const v = await verifySigV4(req, { credentials: CREDS, region: DEFAULT_REGION });
        t.deepEqual(v, { ok: true, scheme: 'sigv4', findings: [] }, `${modelId}: ${v.ok ? '' : v.reason}`);
        const tampered = await verifySigV4({ ...req, body: new Uint8Array([...req.body, 0x20]) }, { credentials: CREDS, region: DEFAULT_REGION });
        t.false(tampered.ok, `${modelId}: a tampered body must not pass`);
      }
    });
  }
}

test('sigv4 › the AWS SDK over real HTTP sees AWS-shaped answers: success, then InvalidSignatureException for a wrong secret', async (t) => {
  const mock = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const v = await verifySigV4({ method: req.method ?? '', target: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) }, { credentials: CREDS, region: DEFAULT_REGION });
      if (v.ok) {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-RequestId': '6f1e0f27-8a1e-4a55-9a0b-6c0f1d2b3c4d' });
        res.end('{"metrics":{"latencyMs":12},"output":{"message":{"content":[{"text":"Elemental Hotel"}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":9,"outputTokens":3,"totalTokens":12}}');
      } else {
        res.writeHead(v.status, { 'content-type': 'application/json', 'x-amzn-ErrorType': `${v.errorType}${CORAL_SERVICE_NAMESPACE}` });
        res.end(JSON.stringify({ message: v.message }));
      }
    });
  });
  await new Promise<void>((resolve) => mock.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(mock.address() as AddressInfo).port}`;
    const client = (secretAccessKey: string): BedrockRuntimeClient =>
      new BedrockRuntimeClient({ region: DEFAULT_REGION, endpoint, credentials: { ...CREDS, secretAccessKey }, maxAttempts: 1, requestHandler: new NodeHttpHandler() });
    const ok = await client(CREDS.secretAccessKey).send(new ConverseCommand({ modelId: SDK_MODELS[1], messages }));
    t.is(ok.output?.message?.content?.[0]?.text, 'Elemental Hotel');
    const err = await t.throwsAsync(client('not-the-secret').send(new ConverseCommand({ modelId: SDK_MODELS[0], messages })));
    t.is(err?.name, 'InvalidSignatureException');
    t.regex(err?.message ?? '', /^The request signature we calculated does not match the signature you provided\./);
    t.is((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode, 403);
  } finally {
    await new Promise<void>((resolve) => mock.close(() => resolve()));
  }
});
