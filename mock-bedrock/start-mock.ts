// The library entry point: start a mock Bedrock Runtime, get its URL, its log and a close function.
import polka from 'polka';
import { IncomingMessage } from 'node:http';
import type { Cassette, LoadedCassette } from './cassette.ts';
import { loadCassettes } from './cassette-load.ts';
import { parseCassette } from './cassette-validate.ts';
import { writePlain, writeStream, type AnyResponse } from './response-writer.ts';
import { decideResponse, type MockState } from './decide-response.ts';
import { createDualProtocolServer } from './dual-protocol-server.ts';
import { FaultRules } from './fault-rules.ts';
import { resolveMockOptions, type MockOptions } from './mock-options.ts';
import { RequestLog } from './request-log.ts';
import { indexInteractions } from './request-match.ts';
import { frontDoorError, harnessError } from './bedrock-error.ts';

/** A running mock. */
export interface RunningMock {
  url: string;
  port: number;
  /** What every request looked like and what the mock did. */
  log: RequestLog;
  /** Faults the runner sets per cassette and interaction. */
  faults: FaultRules;
  /** Every cassette being served. */
  readonly cassettes: LoadedCassette[];
  /** Cassette files that failed to load (the mock serves the others). */
  problems: string[];
  /** While pinned, this cassette answers requests that other cassettes also hold; returns the unpin function. */
  prefer(cassetteId: string): () => void;
  /** Serves more cassettes (validated like files; throws with every problem listed). */
  addCassettes(cassettes: Cassette[]): void;
  close(): Promise<void>;
}

/** Thrown when the request body exceeds the limit; answered as Bedrock would. */
class BodyTooLarge extends Error {}

// Events rather than `for await`: the async iterator cost a measurable share per request. As
// with the iterator, an oversized body is dropped, and a request closed before its end fails.
// Callbacks are inline (tsx names every closure held in a variable, a cost per request); once
// the promise is settled, later events change nothing.
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      reject(new BodyTooLarge());
      // What the iterator's cleanup did (Node's stream destroyer): drop the request, not its
      // socket, so the 413 still goes out on the connection.
      if (req instanceof IncomingMessage) (req as { socket: unknown }).socket = null;
      req.destroy();
    });
    // Always a copy: a chunk may be a slice of a much larger socket read, which a log record would pin.
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (size <= limit) resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
    // Every request closes; only one that never ended is a failure (an Error costs a stack trace).
    req.on('close', () => ended || reject(new Error('the request closed before its body ended')));
  });
}

/** polka's pathname of a target (cut at '#', then '?', from the second character) and its '/model/*' pattern. */
function routedPath(url: string): string {
  if (url.length <= 1) return url;
  const hash = url.indexOf('#', 1);
  const path = hash === -1 ? url : url.slice(0, hash);
  const query = path.indexOf('?', 1);
  return query === -1 ? path : path.slice(0, query);
}
const MODEL_ROUTE = /^\/model\/(.*)\/?$/i;

function validated(cassettes: Cassette[]): LoadedCassette[] {
  const problems: string[] = [];
  const loaded = cassettes.flatMap((given) => {
    // A cassette read from disk carries its file name; keep it for messages, validate the rest.
    const { file: from, ...c } = given as Cassette & { file?: string };
    const file = from ?? `<in-memory ${c.id ?? 'cassette'}>`;
    const parsed = parseCassette(c, file);
    if (!parsed.ok) problems.push(...parsed.errors);
    return parsed.ok ? [{ ...parsed.cassette, file }] : [];
  });
  if (problems.length) throw new Error(`invalid cassettes:\n${problems.join('\n')}`);
  return loaded;
}

/** Starts the mock on `options.host`:`options.port` (127.0.0.1 and a free port by default). */
export async function startMock(options: MockOptions = {}): Promise<RunningMock> {
  const resolved = resolveMockOptions(options);
  const fromDir = resolved.cassettesDir ? await loadCassettes(resolved.cassettesDir) : { cassettes: [], problems: [] };
  let all: LoadedCassette[] = [...fromDir.cassettes, ...validated(resolved.cassettes ?? [])];
  const state: MockState = { index: indexInteractions(all), seen: new Map(), preferred: new Map(), faultRules: new FaultRules(), options: resolved };
  const log = new RequestLog(resolved.logLimit);

  const onError = (err: unknown, res: AnyResponse) =>
    writePlain(res, harnessError('internal', `the mock failed: ${String((err as Error)?.message ?? err)}`));
  const app = polka({
    onNoMatch: (req, res) => writePlain(res, frontDoorError('UnknownOperationException', 404, `no operation at ${req.method} ${req.path}`)),
    onError: (err, _req, res) => onError(err, res),
  });
  const answer = async (req: IncomingMessage, res: AnyResponse, target: string): Promise<void> => {
    let body: Uint8Array;
    try {
      body = await readBody(req, resolved.maxBodyBytes);
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) return;
      return writePlain(res, frontDoorError('SerializationException', 413, `request body exceeds ${resolved.maxBodyBytes} bytes`));
    }
    const record = log.begin({ method: req.method ?? '', target, httpVersion: req.httpVersion, headers: req.headers, body });
    try {
      const decision = await decideResponse(state, record);
      if (decision.kind === 'plain') {
        record.status = decision.response.status;
        writePlain(res, decision.response);
        log.finish(record, 'complete');
      } else {
        record.status = decision.status;
        log.finish(record, await writeStream(res as AnyResponse, decision.status, decision.headers, decision.plan, record));
      }
    } catch (error) {
      record.harnessError = 'internal';
      if (!res.headersSent) writePlain(res, harnessError('internal', `the mock failed: ${(error as Error).message}`));
      else res.destroy();
      log.finish(record, 'error');
    }
  };

  const { server, destroyConnections } = createDualProtocolServer((req, res) => {
    const target = req.url ?? '';
    // The one route (polka's 'POST /model/*') goes straight to its handler, without polka's
    // per-request URL parsing; polka answers everything else with its 404.
    if (req.method === 'POST' && MODEL_ROUTE.test(routedPath(target))) {
      answer(req as IncomingMessage, res, target).catch((error: unknown) => onError(error, res));
      return;
    }
    void app.handler(req as never, res as never, undefined as never);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : resolved.port;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;

  return {
    url: `http://${host}:${port}`,
    port,
    log,
    faults: state.faultRules,
    problems: fromDir.problems,
    get cassettes() {
      return all;
    },
    prefer(cassetteId) {
      state.preferred.set(cassetteId, (state.preferred.get(cassetteId) ?? 0) + 1);
      let pinned = true;
      return () => {
        if (!pinned) return;
        pinned = false;
        const left = (state.preferred.get(cassetteId) ?? 1) - 1;
        if (left > 0) state.preferred.set(cassetteId, left);
        else state.preferred.delete(cassetteId);
      };
    },
    addCassettes(cassettes) {
      all = [...all, ...validated(cassettes)];
      state.index = indexInteractions(all);
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      destroyConnections();
    }),
  };
}
