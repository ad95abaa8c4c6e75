// A tiny native-Bedrock gateway for the suite tests: re-signs with the mock's credentials and relays
// the response read by read. Each flaw is one real gateway bug the suites must catch.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';
import { decodeMessage } from '../../mock-bedrock/event-codec.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../mock-bedrock/wire-constants.ts';

/** Bugs the gateway can be started with. */
export type TestGatewayFlaw =
  | 'length-prefix-bug' // re-frames, and throws away a read's last 1-3 bytes when they cannot hold a length prefix
  | 'swallow-exceptions' // re-frames, dropping `:message-type: exception` frames
  | 'drop-bad-frames' // re-frames, dropping frames whose CRC fails
  | 'end-cleanly' // re-frames, and ends the response cleanly when the upstream breaks
  | 'hang-on-upstream-error' // leaves the client waiting when the upstream breaks
  | 'forward-session-token' // keeps the client's x-amz-security-token
  | 'no-resign' // forwards the client's own Authorization
  | 'host-without-port' // signs `host` without the port
  | 'single-encoded-path'; // signs the decoded path

const REFRAMING: TestGatewayFlaw[] = ['length-prefix-bug', 'swallow-exceptions', 'drop-bad-frames', 'end-cleanly'];
const KEPT = ['content-type', 'accept'];

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function upstreamHeaders(req: IncomingMessage, body: Buffer, host: string, flaws: TestGatewayFlaw[]): Promise<Record<string, string>> {
  const has = (f: TestGatewayFlaw) => flaws.includes(f);
  const headers: Record<string, string> = { 'content-length': String(body.length) };
  for (const name of KEPT) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name] as string;
  if (has('no-resign')) {
    for (const [name, value] of Object.entries(req.headers)) if (name.startsWith('x-amz-') || name === 'authorization') headers[name] = String(value);
    return { ...headers, host };
  }
  const path = req.url ?? '/';
  const signer = new SignatureV4({ credentials: { ...DEFAULT_CREDENTIALS }, region: DEFAULT_REGION, service: 'bedrock', sha256: Sha256 });
  const signedHost = has('host-without-port') ? host.split(':')[0]! : host;
  const signedPath = has('single-encoded-path') ? path.split('/').map(decodeURIComponent).join('/') : path;
  const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', path: signedPath, headers: { ...headers, host: signedHost }, body }));
  const token = req.headers['x-amz-security-token'];
  if (has('forward-session-token') && typeof token === 'string') signed.headers['x-amz-security-token'] = token;
  return { ...signed.headers, host };
}

/** Re-frames the stream: whole frames out (filtered by the flaws), the rest kept for the next read. */
function reframer(flaws: TestGatewayFlaw[]) {
  let held = Buffer.alloc(0);
  return (chunk: Buffer): Buffer[] => {
    held = Buffer.concat([held, chunk]);
    const out: Buffer[] = [];
    while (held.length >= 4 && held.length >= held.readUInt32BE(0)) {
      const frame = held.subarray(0, Math.max(held.readUInt32BE(0), 1));
      held = held.subarray(frame.length);
      let type: unknown = 'event';
      try { type = decodeMessage(frame).headers[':message-type']?.value; } catch { type = 'bad'; }
      if (type === 'bad' && flaws.includes('drop-bad-frames')) continue;
      if (type === 'exception' && flaws.includes('swallow-exceptions')) continue;
      out.push(frame);
    }
    if (flaws.includes('length-prefix-bug') && held.length > 0 && held.length < 4) held = Buffer.alloc(0);
    return out;
  };
}

function relay(up: IncomingMessage, res: ServerResponse, flaws: TestGatewayFlaw[]): void {
  const stream = String(up.headers['content-type']).startsWith('application/vnd.amazon.eventstream');
  const reframe = stream && flaws.some((f) => REFRAMING.includes(f)) ? reframer(flaws) : undefined;
  const headers = { ...up.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  res.writeHead(up.statusCode ?? 502, headers);
  up.on('data', (chunk: Buffer) => { for (const piece of reframe ? reframe(chunk) : [chunk]) res.write(piece); });
  up.on('end', () => res.end());
  up.on('close', () => {
    if (up.complete || flaws.includes('hang-on-upstream-error')) return;
    if (flaws.includes('end-cleanly')) res.end();
    else res.destroy();
  });
  up.on('error', () => {});
}

/** Starts the gateway on 127.0.0.1 in front of `upstreamUrl`; `close` stops it and its connections. */
export async function startTestGateway(upstreamUrl: string, flaws: TestGatewayFlaw[] = []): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(upstreamUrl);
  const server = createServer(async (req, res) => {
    const body = await readAll(req);
    const headers = await upstreamHeaders(req, body, upstream.host, flaws);
    const up = request({ host: upstream.hostname, port: upstream.port, method: 'POST', path: req.url, headers });
    up.on('response', (upRes) => relay(upRes, res, flaws));
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    up.end(body);
  });
  return listenOnLoopback(server);
}
