// SigV4 verification as AWS does it for Bedrock Runtime: from the raw request target, with the
// body hashed by the mock itself, answering failures in AWS's words plus a diagnosis for gateway authors.
import { SIGNING_SERVICE } from './wire-constants.ts';
import { SIGV4_ALGORITHM, SIGV4_PARAMS, parseAuthorization, parseSignedHeaders } from './sigv4-authorization.ts';
import type { SigV4Param } from './sigv4-authorization.ts';
import type { SigningInputs } from './sigv4-canonical.ts';
import { readRequestDate, skewMessage, toAmzDate } from './sigv4-date.ts';
import { MISSING_AUTHORIZATION_MESSAGE, incompleteSignature, reject } from './sigv4-errors.ts';
import { checkApiKey, checkSessionToken } from './sigv4-policy.ts';
import { checkCredentialScope } from './sigv4-scope.ts';
import { checkSignature } from './sigv4-signature-check.ts';
import { sha256Hex } from './sigv4-fast-verify.ts';
import { headerReader, type HeaderReader } from './sigv4-header-reader.ts';
import { splitTarget } from './sigv4-target.ts';

/** A request as the mock's HTTP layer received it: raw target, Node's lowercased headers, raw body. */
export interface IncomingSignedRequest {
  method: string;
  target: string;
  headers: Record<string, string | string[] | undefined>;
  body: Uint8Array;
}

/** The credentials and leniencies the mock verifies with. */
export interface SigV4Options {
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region: string;
  service?: string;
  now?: () => Date;
  clockSkewMs?: number;
  acceptHostWithoutPort?: boolean;
  apiKeys?: string[];
  /** false: verify every signature through smithy alone (the fast path's reference in tests). */
  fastPath?: boolean;
}

/** Accepted (with findings worth reporting) or rejected the way AWS would reject it. */
export type SigV4Verdict =
  | { ok: true; scheme: 'sigv4' | 'bearer'; findings: string[] }
  | { ok: false; errorType: string; status: number; reason: string; message: string; expected?: { canonicalRequest: string; stringToSign: string } };

/** AWS's tolerance between the signing date and its clock. */
export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/** Reads a header from Node's lowercased map; repeated values joined with ',' as SigV4 joins them. */
export function headerValue(headers: IncomingSignedRequest['headers'], name: string): string | undefined {
  return headerReader(headers)(name);
}

/** Verifies one request; never throws (an internal fault becomes a 500 verdict). */
export async function verifySigV4(req: IncomingSignedRequest, opts: SigV4Options): Promise<SigV4Verdict> {
  try {
    return await verify(req, opts);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ok: false, errorType: 'InternalServerException', status: 500, reason: `verifier fault: ${detail}`, message: 'Internal server error' };
  }
}

// The signed headers' values as received; absent ones become '' (and are reported if the signature fails).
function collectSignedHeaders(read: HeaderReader, signed: readonly string[]) {
  const findings: string[] = [];
  const absent: string[] = [];
  const entries = signed.map((name): [string, string] => {
    let value = read(name);
    if (value === undefined && name === 'host' && read(':authority') !== undefined) {
      value = read(':authority');
      findings.push('host taken from :authority (HTTP/2 request)');
    }
    if (value === undefined) absent.push(name);
    return [name, value ?? ''];
  });
  // fromEntries defines own properties, so a signed '__proto__' or 'constructor' stays a plain header.
  const headers: Record<string, string> = Object.fromEntries(entries);
  return { headers, absent, findings };
}

async function verify(req: IncomingSignedRequest, opts: SigV4Options): Promise<SigV4Verdict> {
  const read = headerReader(req.headers);
  const authorization = read('authorization');
  if (authorization === undefined || authorization.trim() === '') {
    return reject('AccessDeniedException', 'missing Authorization header', MISSING_AUTHORIZATION_MESSAGE);
  }
  const parsed = parseAuthorization(authorization);
  if (parsed.kind === 'bearer') return checkApiKey(parsed.key, opts.apiKeys);
  if (parsed.kind === 'other-scheme') {
    const verdict = incompleteSignature(SIGV4_PARAMS, false, `${parsed.scheme} <redacted>`);
    return { ...verdict, reason: `unsupported Authorization scheme '${parsed.scheme}' (expected ${SIGV4_ALGORITHM} or Bearer)` };
  }
  if (parsed.kind === 'bad-pair') {
    return reject(
      'IncompleteSignatureException',
      `malformed Authorization header: '${parsed.pair}' is not a key=value pair`,
      `'${parsed.pair}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    );
  }
  const params = parsed.params;
  const missing = SIGV4_PARAMS.filter((p) => params[p] === undefined);
  const date = readRequestDate(read('x-amz-date'), read('date'));
  if (missing.length > 0 || date === undefined) return incompleteSignature(missing, date === undefined, authorization);
  if ('malformed' in date) {
    return reject(
      'IncompleteSignatureException',
      `date '${date.malformed}' is not ISO-8601 basic format (YYYYMMDDTHHMMSSZ)`,
      `Date must be in ISO-8601 'basic format'. Got '${date.malformed}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  const now = opts.now?.() ?? new Date();
  const skewMs = opts.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const skew = skewMessage(date.date, now, skewMs);
  if (skew) {
    const apart = Math.round((date.date.getTime() - now.getTime()) / 1000);
    const reason = `clock skew: signed at ${date.longDate}, mock clock ${toAmzDate(now)} (${apart} s apart, limit ${skewMs / 1000} s)`;
    return reject('InvalidSignatureException', reason, skew);
  }
  const p = params as Record<SigV4Param, string>;
  const signed = parseSignedHeaders(p.SignedHeaders);
  if (!signed.includes('host') && !signed.includes(':authority')) {
    return reject('InvalidSignatureException', 'host is not among the signed headers', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (parsed.algorithm !== SIGV4_ALGORITHM) {
    return reject(
      'IncompleteSignatureException',
      `unsupported algorithm '${parsed.algorithm}'`,
      `Unsupported AWS 'algorithm': '${parsed.algorithm}' (only ${SIGV4_ALGORITHM} for now). `,
    );
  }
  const service = opts.service ?? SIGNING_SERVICE;
  const scope = checkCredentialScope(p.Credential, date, { accessKeyId: opts.credentials.accessKeyId, region: opts.region, service });
  if ('ok' in scope) return scope;

  const { path, query } = splitTarget(req.target);
  const { headers, absent, findings } = collectSignedHeaders(read, signed);
  const inputs: SigningInputs = {
    method: req.method,
    path,
    escapePath: true,
    query,
    headers,
    signedHeaders: signed,
    payloadHash: sha256Hex(req.body),
    longDate: date.longDate,
    signingDate: date.date,
    region: opts.region,
    service,
    credentials: opts.credentials,
  };
  const signatureVerdict = await checkSignature({
    inputs,
    provided: p.Signature,
    claimedBodyHash: read('x-amz-content-sha256'),
    bodyLength: req.body.length,
    absent,
    acceptHostWithoutPort: opts.acceptHostWithoutPort ?? false,
    fastPath: opts.fastPath,
  });
  if (!signatureVerdict.ok) return signatureVerdict;
  findings.push(...signatureVerdict.findings);
  const tokenFailure = checkSessionToken(read('x-amz-security-token'), signed, opts.credentials.sessionToken);
  if (tokenFailure) return tokenFailure;
  return { ok: true, scheme: 'sigv4', findings };
}
