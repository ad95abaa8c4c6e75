// The thin transport: performs a decided response on an HTTP/1.1 or HTTP/2 (compat) response.
import { constants as h2 } from 'node:http2';
import type { Http2ServerResponse } from 'node:http2';
import type { ServerResponse } from 'node:http';
import type { PlainResponse } from './bedrock-error.ts';
import type { WritePlan } from './fault-plan.ts';
import type { RequestRecord } from './request-log.ts';

/** Either protocol's response object; both speak the same compat API. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function setHeaders(res: AnyResponse, headers: [string, string][]): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}

/** Writes a whole non-stream response with its Content-Length. */
export function writePlain(res: AnyResponse, response: PlainResponse): void {
  res.statusCode = response.status;
  setHeaders(res, response.headers);
  res.setHeader('content-length', String(response.body.length));
  res.end(response.body);
}

/** Resolves once the bytes are handed to the kernel, or false if the peer went away. */
function writeChunk(res: AnyResponse, bytes: Uint8Array): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed || res.writableEnded) return resolve(false);
    const onClose = () => resolve(false);
    res.once('close', onClose);
    (res as ServerResponse).write(bytes, (error) => {
      res.off('close', onClose);
      resolve(!error);
    });
  });
}

/** Drops the connection the way a crashed upstream would: RST on HTTP/1.1, RST_STREAM on HTTP/2. */
function reset(res: AnyResponse): void {
  if ('stream' in res && res.stream) {
    res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  (res as ServerResponse).socket?.resetAndDestroy();
}

/** Counts whole frames in a byte stream fed in arbitrary pieces, from their length prefixes. */
class FrameCounter {
  private done = 0;
  private offset = 0;
  private frameEnd = -1;
  private prefix: number[] = [];

  /** Feeds the next piece; returns how many frames are now complete. */
  push(bytes: Uint8Array): number {
    for (let i = 0; i < bytes.length; ) {
      if (this.frameEnd < 0) {
        this.prefix.push(bytes[i]!);
        i += 1;
        this.offset += 1;
        if (this.prefix.length === 4) {
          this.frameEnd = this.offset - 4 + Buffer.from(this.prefix).readUInt32BE(0);
          this.prefix = [];
        }
        continue;
      }
      const take = Math.max(0, Math.min(bytes.length - i, this.frameEnd - this.offset));
      i += take;
      this.offset += take;
      if (this.offset >= this.frameEnd) {
        this.done += 1;
        this.frameEnd = -1;
      }
    }
    return this.done;
  }
}

/**
 * Writes a planned event stream: each write waits its delay, goes out on its own (the next one
 * waits a turn of the event loop so the peer can read the cut), and is noted in `record`.
 */
export async function writeStream(
  res: AnyResponse, status: number, headers: [string, string][], plan: WritePlan, record: RequestRecord,
): Promise<RequestRecord['outcome']> {
  res.statusCode = status;
  setHeaders(res, headers);
  let written = 0;
  const frames = new FrameCounter();
  // A replay without faults goes out in one burst (still one HTTP chunk per frame): waiting a
  // turn after each frame only matters when a split plan wants the peer to read each cut alone.
  if (plan.burst) {
    for (const write of plan.writes) {
      (res as ServerResponse).write(write.bytes);
      record.writes.push({ t: performance.now(), bytes: write.bytes.length, framesDone: frames.push(write.bytes) });
    }
    res.end();
    return 'complete';
  }
  if ('flushHeaders' in res) res.flushHeaders();
  for (const write of plan.writes) {
    if (write.delayMs > 0) await sleep(write.delayMs);
    else if (written > 0) await nextTurn();
    if (!(await writeChunk(res, write.bytes))) return 'client-closed';
    written += 1;
    record.writes.push({ t: performance.now(), bytes: write.bytes.length, framesDone: frames.push(write.bytes) });
  }
  if (plan.end === 'reset') {
    reset(res);
    return 'reset';
  }
  res.end();
  return 'complete';
}
