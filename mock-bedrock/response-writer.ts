// The thin transport: performs a decided response on an HTTP/1.1 or HTTP/2 (compat) response.
import { constants as h2 } from 'node:http2';
import type { Http2ServerResponse } from 'node:http2';
import type { ServerResponse } from 'node:http';
import type { PlainResponse } from './bedrock-error.ts';
import type { WritePlan } from './fault-plan.ts';
import type { RequestRecord } from './request-log.ts';

/** Either protocol's response object; both speak the same compat API. */
export type AnyResponse = ServerResponse | Http2ServerResponse;

/** Waits `ms`, or less if the response closes first: a closed peer must not keep a timer (and the process) alive. */
function pause(res: AnyResponse, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (res.destroyed) return resolve();
    const done = () => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once('close', done);
  });
}
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

/** A burst plan's writes as HTTP/1.1 chunks, `<hex size>\r\n<bytes>\r\n` each, exactly as Node frames them. */
const chunkedBodies = new WeakMap<WritePlan, Buffer>();
const CRLF = Buffer.from('\r\n', 'latin1');

function chunkedBodyOf(plan: WritePlan): Buffer {
  let body = chunkedBodies.get(plan);
  if (!body) {
    // Node sends nothing for an empty write (a zero-size chunk would end the body).
    const parts = plan.writes.filter((w) => w.bytes.length > 0)
      .flatMap((w) => [Buffer.from(`${w.bytes.length.toString(16)}\r\n`, 'latin1'), w.bytes, CRLF]);
    body = Buffer.concat(parts);
    chunkedBodies.set(plan, body);
  }
  return body;
}

/**
 * Sends a burst plan's frames on an HTTP/1.1 chunked response in one socket write: the same bytes
 * (one chunk per frame) and the same single writev as one `res.write` per frame, without four
 * socket writes per frame. False when the response is not that case (the caller then writes each frame).
 */
function writeChunkedBurst(res: AnyResponse, plan: WritePlan): boolean {
  if ('stream' in res) return false;
  const socket = res.socket;
  // No socket yet: a pipelined response waits its turn in Node's own buffer.
  if (!socket || socket.destroyed || socket.writableCorked > 0) return false;
  socket.cork();
  res.flushHeaders();
  // Not chunked (an HTTP/1.0 client): the caller writes frame by frame into the still-corked
  // socket, and its end() uncorks, so the headers still leave with the body.
  if ((res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding !== true) return false;
  socket.write(chunkedBodyOf(plan));
  // end() writes the last chunk, then uncorks: headers, frames and the end go out together.
  res.end();
  return true;
}

/** Frames complete after each write of a plan: a burst plan is cached and replayed, so count once. */
const framesDoneByPlan = new WeakMap<WritePlan, number[]>();

function framesDoneOf(plan: WritePlan): number[] {
  let done = framesDoneByPlan.get(plan);
  if (!done) {
    const counter = new FrameCounter();
    done = plan.writes.map((write) => counter.push(write.bytes));
    framesDoneByPlan.set(plan, done);
  }
  return done;
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
  // A replay without faults goes out in one burst (still one HTTP chunk per frame): waiting a
  // turn after each frame only matters when a split plan wants the peer to read each cut alone.
  if (plan.burst) {
    const framesDone = framesDoneOf(plan);
    const whole = writeChunkedBurst(res, plan);
    for (let i = 0; i < plan.writes.length; i++) {
      const { bytes } = plan.writes[i]!;
      if (!whole) (res as ServerResponse).write(bytes);
      record.writes.push({ t: performance.now(), bytes: bytes.length, framesDone: framesDone[i]! });
    }
    if (!whole) res.end();
    return 'complete';
  }
  const frames = new FrameCounter();
  if ('flushHeaders' in res) res.flushHeaders();
  for (const write of plan.writes) {
    if (write.delayMs > 0) await pause(res, write.delayMs);
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
