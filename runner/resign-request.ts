// Re-signing for the recording proxy: the client's credentials out, real SigV4 in, the raw
// request target kept so the signer encodes each path segment once more, as AWS does.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { SIGNING_SERVICE } from '../mock-bedrock/wire-constants.ts';
import { EXCLUDED_REQUEST_HEADERS, rememberSecret } from './redact.ts';

/** Headers a proxy never forwards as received: hop-by-hop ones, and those it sets itself. */
const NOT_FORWARDED = ['host', 'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'expect', 'content-length'];

/** Client headers to forward (Node rawHeaders in), minus credentials and hop-by-hop ones; repeats joined. */
export function forwardableHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (NOT_FORWARDED.includes(name) || EXCLUDED_REQUEST_HEADERS.includes(name)) continue;
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]}, ${raw[i + 1]}`;
  }
  return out;
}

/** What one received request looks like to the re-signer. */
export interface ReceivedRequest {
  method: string;
  /** Node's req.url: the raw, still percent-encoded target. */
  rawTarget: string;
  rawHeaders: string[];
  body: Buffer;
}

/** Signs received requests for `upstream` with real credentials; every secret it sees is remembered for scrub(). */
export function createResigner(upstream: URL, region: string, provider: AwsCredentialIdentityProvider) {
  const credentials: AwsCredentialIdentityProvider = async () => {
    const found = await provider();
    for (const secret of [found.accessKeyId, found.secretAccessKey, found.sessionToken]) rememberSecret(secret);
    return found;
  };
  const signer = new SignatureV4({ service: SIGNING_SERVICE, region, credentials, sha256: Sha256, uriEscapePath: true });
  const basePath = upstream.pathname.replace(/\/+$/, '');
  return async (received: ReceivedRequest): Promise<{ path: string; method: string; headers: Record<string, string> }> => {
    const queryAt = received.rawTarget.indexOf('?');
    const path = basePath + (queryAt < 0 ? received.rawTarget : received.rawTarget.slice(0, queryAt));
    const rawQuery = queryAt < 0 ? '' : received.rawTarget.slice(queryAt);
    const signed = await signer.sign(new HttpRequest({
      method: received.method, protocol: upstream.protocol, hostname: upstream.hostname,
      port: upstream.port ? Number(upstream.port) : undefined, path,
      query: Object.fromEntries(new URLSearchParams(rawQuery.slice(1))),
      headers: { ...forwardableHeaders(received.rawHeaders), host: upstream.host, 'content-length': String(received.body.length) },
      body: received.body,
    }));
    return { path: path + rawQuery, method: signed.method, headers: signed.headers };
  };
}
