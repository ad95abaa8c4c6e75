// The recording proxy: any client (dummy credentials) in, real SigV4 out, the response streamed
// back as it arrives while each frame and its arrival time are kept for the cassette.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { parseRequestTarget } from '../mock-bedrock/request-target.ts';
import { EVENTSTREAM_CONTENT_TYPE, HARNESS_ERROR_HEADER } from '../mock-bedrock/wire-constants.ts';
import { ResponseCapture, toInteraction } from './exchange-capture.ts';
import { explainUpstreamError } from './record-errors.ts';
import { scrub } from './redact.ts';
import { createResigner } from './resign-request.ts';

/** Where to forward, with which credentials, and how to report. */
export interface RecordingProxyOptions {
  /** Base URL of the real endpoint, e.g. https://bedrock-runtime.us-west-2.amazonaws.com. */
  upstream: string;
  /** SigV4 signing region. */
  region: string;
  /** Real credentials (the SDK's default chain in the CLI). */
  credentials: AwsCredentialIdentityProvider;
  /** 0 (default) picks a free port; the proxy listens on 127.0.0.1 only. */
  port?: number;
  keepAccountIds?: boolean;
  /** One line per exchange, already scrubbed. */
  log?: (line: string) => void;
}

/** One request that went through the proxy, in the order requests arrived. */
export interface ProxyExchange {
  seq: number;
  /** `operation model` for messages (account ids redacted). */
  label: string;
  /** Set when the request named a Bedrock operation and the upstream answered in full. */
  interaction?: CassetteInteraction;
  /** Why the request could not be forwarded or recorded (scrubbed). */
  failure?: string;
}

/** A running proxy: its URL, what it recorded so far, and how to stop it. */
export interface RecordingProxy {
  url: string;
  port: number;
  /** Exchanges finished since the last call, in request order. */
  take(): ProxyExchange[];
  close(): Promise<void>;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts the proxy on 127.0.0.1. */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<RecordingProxy> {
  const upstream = new URL(options.upstream);
  const transport = upstream.protocol === 'https:' ? https : http;
  const resign = createResigner(upstream, options.region, options.credentials);
  const keepAccountIds = options.keepAccountIds ?? false;
  const finished: ProxyExchange[] = [];
  let nextSeq = 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const seq = nextSeq++;
    const target = parseRequestTarget(req.url ?? '/');
    const label = scrub(target.ok ? `${target.operation} ${target.modelId}` : `${req.method} ${(req.url ?? '').split('?')[0]}`, { keepAccountIds });
    let settled = false;
    const done = (exchange: Omit<ProxyExchange, 'seq' | 'label'>) => {
      if (settled) return;
      settled = true;
      finished.push({ seq, label, ...exchange });
      options.log?.(exchange.failure ? `not recorded: ${label}: ${exchange.failure}` : `${exchange.interaction ? 'recorded' : 'forwarded'}: ${label}`);
    };
    const harnessError = (status: number, message: string) => {
      done({ failure: message });
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, { 'content-type': 'application/json', [HARNESS_ERROR_HEADER]: 'recording-proxy' });
      res.end(JSON.stringify({ message }));
    };
    const body = await readBody(req);
    let signed: Awaited<ReturnType<typeof resign>>;
    try {
      signed = await resign({ method: req.method ?? 'POST', rawTarget: req.url ?? '/', rawHeaders: req.rawHeaders, body });
    } catch (error) {
      return harnessError(500, scrub(`could not get AWS credentials to sign the request: ${(error as Error).message}`));
    }
    const upstreamReq = transport.request({ hostname: upstream.hostname, port: upstream.port || undefined, ...signed });
    upstreamReq.on('error', (error) => harnessError(502, explainUpstreamError(error, options.upstream, options.region)));
    res.on('close', () => {
      if (settled) return;
      done({ failure: 'the client closed the connection before the response ended' });
      upstreamReq.destroy();
    });
    upstreamReq.on('response', (up) => {
      const capture = new ResponseCapture(String(up.headers['content-type'] ?? '').startsWith(EVENTSTREAM_CONTENT_TYPE), performance.now());
      const headers = pairs(up.rawHeaders);
      res.writeHead(up.statusCode ?? 502, up.statusMessage, headers.filter(([name]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(name.toLowerCase())).flat());
      res.flushHeaders();
      up.on('data', (chunk: Buffer) => {
        capture.push(chunk, performance.now());
        if (!res.write(chunk)) {
          up.pause();
          res.once('drain', () => up.resume());
        }
      });
      up.on('end', () => {
        capture.finish();
        if (!target.ok) done({});
        else if (capture.problems.length > 0) done({ failure: scrub(capture.problems.join('; ')) });
        else done({ interaction: toInteraction({ ...target, requestBody: body, status: up.statusCode ?? 0, headers, capture, keepAccountIds }) });
        res.end();
      });
      up.on('error', (error) => harnessError(502, explainUpstreamError(error, options.upstream, options.region)));
    });
    upstreamReq.end(body);
  }

  const server = http.createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.destroy();
      options.log?.(scrub(`proxy error: ${(error as Error).message}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    take: () => finished.splice(0).sort((a, b) => a.seq - b.seq),
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
