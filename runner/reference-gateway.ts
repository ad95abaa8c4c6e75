// The built-in reference gateway: a correct native-Bedrock pass-through (what Kong's
// `llm_format: bedrock` does). It drops the client's credentials, re-signs with the upstream's,
// and streams the response back read by read; an upstream that breaks mid-stream breaks the client.
import { Agent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { createDualProtocolServer } from '../mock-bedrock/dual-protocol-server.ts';
import type { AnyResponse } from '../mock-bedrock/response-writer.ts';
import { splitTarget } from '../mock-bedrock/sigv4-target.ts';
import { DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { upstreamHeaders } from './forward-headers.ts';
import type { GatewayFlaw } from './gateway-flaws.ts';
import { abortClient, relayResponse } from './relay-response.ts';
import { signRequest, type SigningCredentials } from './sign-request.ts';

/** Where the gateway forwards to, what it signs with, and which deliberate bugs it has. */
export interface ReferenceGatewayOptions {
  /** Where Bedrock is (the mock's URL in a run). */
  upstreamUrl: string;
  /** The real credentials the gateway signs with. */
  credentials: SigningCredentials;
  region?: string;
  /** Deliberate bugs, for proving the suites catch them (none by default). */
  flaws?: readonly GatewayFlaw[];
  host?: string;
  port?: number;
}

/** A started gateway: its URL, and a close that also drops open connections. */
export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

function answer(res: AnyResponse, status: number, message: string): void {
  if (res.writableEnded || res.headersSent) return;
  const body = JSON.stringify({ message });
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('content-length', String(Buffer.byteLength(body)));
  res.end(body);
}

async function readAll(req: IncomingMessage | Http2ServerRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const decodeSegments = (path: string) => path.split('/').map((s) => { try { return decodeURIComponent(s); } catch { return s; } }).join('/');

/** Starts the reference gateway on 127.0.0.1 (HTTP/1.1 and cleartext HTTP/2 on one port). */
export async function startReferenceGateway(options: ReferenceGatewayOptions): Promise<RunningGateway> {
  const upstream = new URL(options.upstreamUrl);
  const base = upstream.pathname.replace(/\/$/, '');
  const flaws = options.flaws ?? [];
  const region = options.region ?? DEFAULT_REGION;
  const agent = new Agent({ keepAlive: true });
  const inflight = new Set<ClientRequest>();

  async function handle(req: IncomingMessage | Http2ServerRequest, res: AnyResponse): Promise<void> {
    const target = req.url ?? '/';
    if (req.method !== 'POST' || !target.startsWith('/model/')) {
      return answer(res, 404, `reference gateway: no route for ${req.method} ${target.split('?')[0]}`);
    }
    const body = await readAll(req);
    const headers = { ...upstreamHeaders(req.headers, flaws), 'content-length': String(body.length) };
    const path = `${base}${target}`;
    let sent: Record<string, string>;
    if (flaws.includes('no-resign')) {
      sent = { ...headers, host: upstream.host };
    } else {
      const split = splitTarget(path);
      const signedPath = flaws.includes('single-encoded-path') ? decodeSegments(split.path) : split.path;
      const signedHost = flaws.includes('host-without-port') ? upstream.hostname : upstream.host;
      sent = { ...await signRequest({ method: 'POST', host: signedHost, path: signedPath, query: split.query, headers, body }, options.credentials, region), host: upstream.host };
    }
    const up = httpRequest({ host: upstream.hostname, port: upstream.port || 80, method: 'POST', path, headers: sent, agent });
    inflight.add(up);
    up.on('close', () => inflight.delete(up));
    up.on('response', (upRes) => relayResponse(upRes, res, flaws));
    up.on('error', (error) => {
      if (!res.headersSent) answer(res, 502, `reference gateway: upstream ${upstream.host} failed: ${error.message}`);
      else abortClient(res);
    });
    res.on('close', () => { if (!res.writableEnded) up.destroy(); });
    up.end(body);
  }

  const { server, destroyConnections } = createDualProtocolServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      if (!res.headersSent) answer(res, 500, `reference gateway failed: ${error.message}`);
      else abortClient(res);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const req of inflight) req.destroy();
      destroyConnections();
      agent.destroy();
    }),
  };
}
