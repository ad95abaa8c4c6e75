// The same call the SDK would make, signed by the same signer, but read off the socket raw: the SDK
// hides some faults (content type, missing frames, trailing bytes), so checks also look at bytes.
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { CallSpec, RawObservation } from '../suites/client-driver.ts';
import { DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { DEFAULT_CALL_TIMEOUT_MS, type SdkDriverOptions } from './driver-options.ts';
import { encodeModelId, signRequest } from './sign-request.ts';

/** Headers the SDK sends per operation besides the signature ones (seen on the wire, SDK 3.11xx). */
function operationHeaders(spec: CallSpec): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (spec.operation === 'invoke') headers.accept = 'application/json';
  if (spec.operation === 'invoke-with-response-stream') headers['x-amzn-bedrock-accept'] = 'application/json';
  return headers;
}

/** The request line, headers and body the SDK would send for `spec`, signed (or with its Bearer key). */
export async function buildRawRequest(options: SdkDriverOptions, spec: CallSpec, url: URL) {
  const host = url.host;
  const path = `${url.pathname.replace(/\/$/, '')}/model/${encodeModelId(spec.modelId)}/${spec.operation}`;
  const body = Buffer.from(JSON.stringify(spec.body ?? {}), 'utf8');
  const headers: Record<string, string> = {
    ...operationHeaders(spec),
    'content-length': String(body.length),
    'x-amz-user-agent': 'bedrock-conformance/raw',
    'amz-sdk-invocation-id': randomUUID(),
    'amz-sdk-request': 'attempt=1; max=1',
  };
  const auth = spec.auth ?? { kind: 'sigv4' as const, ...options.credentials };
  if (auth.kind === 'bearer') return { path, body, headers: { ...headers, host, authorization: `Bearer ${auth.token}` } };
  const signed = await signRequest({ method: 'POST', host, path, headers, body }, auth, options.region ?? DEFAULT_REGION);
  return { path, body, headers: signed };
}

/** Sends `spec` over HTTP/1.1 and records every read with its time; never throws. */
export async function rawCall(options: SdkDriverOptions, spec: CallSpec): Promise<RawObservation> {
  const url = new URL(options.gatewayUrl);
  const obs: RawObservation = { sentAt: performance.now(), status: 0, headers: {}, bytes: new Uint8Array(), reads: [], endedAt: 0 };
  let built: Awaited<ReturnType<typeof buildRawRequest>>;
  try {
    built = await buildRawRequest(options, spec, url);
  } catch (error) {
    return { ...obs, error: `could not build the request: ${(error as Error).message}`, endedAt: performance.now() };
  }
  const chunks: Buffer[] = [];
  const timeoutMs = spec.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  obs.sentAt = performance.now();
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = (error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (error !== undefined) obs.error = error;
      obs.endedAt = performance.now();
      req.destroy();
      resolve();
    };
    const req = httpRequest({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 80,
      method: 'POST',
      path: built.path,
      headers: built.headers,
      agent: false,
    }, (res) => {
      obs.status = res.statusCode ?? 0;
      obs.headers = { ...res.headers };
      res.on('data', (chunk: Buffer) => {
        obs.reads.push({ t: performance.now(), bytes: chunk.length });
        chunks.push(chunk);
      });
      res.on('end', () => finish());
      res.on('error', (error) => finish(`response aborted: ${error.message}`));
      res.on('close', () => { if (!res.complete) finish('response aborted before its end (connection closed or reset)'); });
    });
    const timer = setTimeout(() => finish(`Timeout: no end of response after ${timeoutMs} ms`), timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(`${error.code ?? error.name}: ${error.message}`));
    req.end(built.body);
  });
  obs.bytes = new Uint8Array(Buffer.concat(chunks));
  return obs;
}
