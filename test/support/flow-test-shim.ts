// A small re-signing gateway for the flow suite tests, with the misbehaviours those suites exist to
// catch: rewriting request bodies, buffering, rewriting responses, crossing clients' responses.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../mock-bedrock/wire-constants.ts';
import { signRequest } from '../../runner/sign-request.ts';

/** A whole HTTP response as the shim holds it. */
export interface HeldResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ShimOptions {
  /** Rewrites the parsed JSON request body before it is re-signed and forwarded. */
  request?: (body: any, path: string) => unknown;
  /** Holds the whole upstream response before writing any of it. */
  buffer?: boolean;
  /** Rewrites the whole (held) response. */
  response?: (held: HeldResponse, path: string) => HeldResponse;
  /** Gives each response to another client waiting on the same path (a crossed-wires bug). */
  crossWires?: boolean;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Pairs concurrent requests on one path so each gets the other's response; a lone one keeps its own. */
function crossing() {
  const waiting = new Map<string, { res: ServerResponse; take: (res: ServerResponse) => void }>();
  return (path: string, res: ServerResponse): Promise<ServerResponse> => {
    const other = waiting.get(path);
    if (other) {
      waiting.delete(path);
      other.take(res);
      return Promise.resolve(other.res);
    }
    return new Promise((resolve) => {
      const entry = { res, take: resolve };
      waiting.set(path, entry);
      // Long enough that two concurrent requests pair up even on a loaded CI machine.
      setTimeout(() => { if (waiting.get(path) === entry) { waiting.delete(path); resolve(res); } }, 1000);
    });
  };
}

function writeHeld(res: ServerResponse, held: HeldResponse): void {
  const headers = { ...held.headers };
  delete headers['transfer-encoding'];
  delete headers.connection;
  headers['content-length'] = String(held.body.length);
  res.writeHead(held.status, headers);
  res.end(held.body);
}

/** Starts the shim in front of `upstreamUrl` (re-signing with the mock's credentials). */
export async function startShim(upstreamUrl: string, options: ShimOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const upstream = new URL(upstreamUrl);
  const cross = options.crossWires ? crossing() : undefined;
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    let body = await readAll(req);
    if (options.request) body = Buffer.from(JSON.stringify(options.request(JSON.parse(body.toString('utf8')), path)), 'utf8');
    const kept: Record<string, string> = { 'content-type': 'application/json', 'content-length': String(body.length) };
    for (const name of ['accept', 'x-amzn-bedrock-accept']) if (typeof req.headers[name] === 'string') kept[name] = req.headers[name] as string;
    const headers = await signRequest({ method: 'POST', host: upstream.host, path, headers: kept, body }, { ...DEFAULT_CREDENTIALS }, DEFAULT_REGION);
    const target = cross ? cross(path, res) : Promise.resolve(res);
    const up = request({ host: upstream.hostname, port: upstream.port, method: 'POST', path, headers }, async (upRes: IncomingMessage) => {
      if (!options.buffer && !options.response && !cross) {
        const copied = { ...upRes.headers };
        delete copied.connection;
        res.writeHead(upRes.statusCode ?? 502, copied);
        res.flushHeaders();
        upRes.on('data', (chunk: Buffer) => res.write(chunk));
        upRes.on('end', () => res.end());
        return;
      }
      let held: HeldResponse = { status: upRes.statusCode ?? 502, headers: { ...upRes.headers }, body: await readAll(upRes) };
      if (options.response) held = options.response(held, path);
      writeHeld(await target, held);
    });
    up.on('error', () => res.destroy());
    up.end(body);
  });
  return listenOnLoopback(server);
}
