// SigV4-signs one outgoing Bedrock request with @smithy/signature-v4, the signer the JS SDK uses,
// so the runner's raw client and the reference gateway sign exactly as AWS clients do.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { SIGNING_SERVICE } from '../mock-bedrock/wire-constants.ts';

/** Long-term or temporary AWS credentials. */
export interface SigningCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A request about to go out; `path` is what the signer canonicalises (it escapes each segment again). */
export interface UnsignedRequest {
  method: string;
  /** `host[:port]` as the Host header will carry it; it is signed. */
  host: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * The request's headers plus `host`, `x-amz-date`, `x-amz-content-sha256`, `authorization` (and
 * `x-amz-security-token` for temporary credentials). The credentials object is copied, never kept.
 */
export async function signRequest(
  request: UnsignedRequest,
  credentials: SigningCredentials,
  region: string,
): Promise<Record<string, string>> {
  const signer = new SignatureV4({ credentials: { ...credentials }, region, service: SIGNING_SERVICE, sha256: Sha256 });
  const colon = request.host.lastIndexOf(':');
  const hasPort = colon > request.host.lastIndexOf(']');
  const http = new HttpRequest({
    method: request.method,
    protocol: 'http:',
    hostname: hasPort ? request.host.slice(0, colon) : request.host,
    port: hasPort ? Number(request.host.slice(colon + 1)) : undefined,
    path: request.path,
    query: request.query ?? {},
    headers: { ...request.headers, host: request.host },
    body: request.body,
  });
  const signed = await signer.sign(http);
  return signed.headers;
}

/** The path segment of a model id as the AWS SDK writes it (RFC 3986 unreserved characters kept). */
export function encodeModelId(modelId: string): string {
  return encodeURIComponent(modelId).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
