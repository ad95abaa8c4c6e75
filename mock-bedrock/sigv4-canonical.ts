// Canonical request, string-to-sign and signature, computed by @smithy/signature-v4 itself, so the
// mock never carries a second canonicaliser that could disagree with the SDKs.
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { ALGORITHM_IDENTIFIER, SignatureV4, createScope, getCanonicalHeaders } from '@smithy/signature-v4';
import type { SignerQuery } from './sigv4-target.ts';

/** Everything one signature computation needs; `headers` holds only the signed headers. */
export interface SigningInputs {
  method: string;
  /** Path handed to the signer: it escapes each segment again when `escapePath` is true. */
  path: string;
  escapePath: boolean;
  query: SignerQuery;
  headers: Record<string, string>;
  signedHeaders: readonly string[];
  payloadHash: string;
  /** `YYYYMMDDTHHMMSSZ`, as it goes into the string-to-sign. */
  longDate: string;
  signingDate: Date;
  region: string;
  service: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** What AWS would show in its error message, plus the hex signature it would expect. */
export interface SigningResult {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

// Opens the protected canonicalisation steps of SignatureV4; the HMAC chain is its public sign(string).
class CanonicalSigner extends SignatureV4 {
  async compute(i: SigningInputs): Promise<SigningResult> {
    const request = new HttpRequest({
      method: i.method,
      protocol: 'https:',
      hostname: 'verifier.invalid',
      path: i.path,
      query: i.query,
      headers: i.headers,
    });
    // signableHeaders overrides smithy's always-unsignable list (user-agent, proxy-*, …): what the
    // client listed in SignedHeaders is what AWS canonicalises, whatever its name.
    const canonicalHeaders = getCanonicalHeaders(request, undefined, new Set(i.signedHeaders));
    const canonicalRequest = this.createCanonicalRequest(request, canonicalHeaders, i.payloadHash);
    const scope = createScope(i.longDate.slice(0, 8), i.region, i.service);
    const stringToSign = await this.createStringToSign(i.longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
    const signature = await this.sign(stringToSign, {
      signingDate: i.signingDate,
      signingRegion: i.region,
      signingService: i.service,
    });
    return { canonicalRequest, stringToSign, signature };
  }
}

/** SHA-256 and HMAC on node:crypto (the pure-JS hash cost a fifth of the mock's CPU per request). */
class NodeSha256 {
  private h: Hash | Hmac;
  constructor(private readonly secret?: string | Uint8Array) { this.h = secret ? createHmac('sha256', secret) : createHash('sha256'); }
  update(data: string | Uint8Array): void { this.h.update(data); }
  async digest(): Promise<Uint8Array> { return this.h.digest(); }
  reset(): void { this.h = this.secret ? createHmac('sha256', this.secret) : createHash('sha256'); }
}
/** One signer per credentials/region/service/encoding: building one per request was measurable. */
const signers = new Map<string, CanonicalSigner>();
/** Computes the SigV4 signature the way AWS does for these inputs. */
export async function computeSigV4(i: SigningInputs): Promise<SigningResult> {
  const key = [i.credentials.accessKeyId, i.credentials.secretAccessKey, i.credentials.sessionToken ?? '', i.region, i.service, i.escapePath].join('\0');
  let signer = signers.get(key);
  if (!signer) {
    signer = new CanonicalSigner({ credentials: i.credentials, region: i.region, service: i.service, sha256: NodeSha256 as never, uriEscapePath: i.escapePath, applyChecksum: false });
    signers.set(key, signer);
  }
  return signer.compute(i);
}

/** The canonical URI line of a canonical request (its second line). */
export function canonicalPathOf(canonicalRequest: string): string {
  return canonicalRequest.split('\n')[1] ?? '';
}

/** Constant-time comparison of two hex signatures (case-sensitive, as AWS compares them). */
export function signaturesEqual(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(provided, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
