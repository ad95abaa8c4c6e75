// The response half of the reference gateway: upstream bytes go to the client read by read, and
// an upstream that breaks (reset, or a clean end inside a frame) breaks the client's response too.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { constants as h2 } from 'node:http2';
import type { AnyResponse } from '../mock-bedrock/response-writer.ts';
import { EVENTSTREAM_CONTENT_TYPE } from '../mock-bedrock/wire-constants.ts';
import { streamTransformFor } from './flaw-transforms.ts';
import { downstreamHeaders } from './forward-headers.ts';
import { FrameTracker } from './frame-tracker.ts';
import type { GatewayFlaw } from './gateway-flaws.ts';

/** Breaks the client's response without a clean end: FIN before the last chunk, or RST_STREAM. */
export function abortClient(res: AnyResponse): void {
  if ('stream' in res && res.stream) {
    if (!res.stream.closed) res.stream.close(h2.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  const socket = (res as ServerResponse).socket;
  if (socket) socket.end();
  else res.destroy();
}

/** Copies the upstream response to the client as it arrives, applying the flaws that rewrite it. */
export function relayResponse(up: IncomingMessage, res: AnyResponse, flaws: readonly GatewayFlaw[]): void {
  const isStream = (up.headers['content-type'] ?? '').startsWith(EVENTSTREAM_CONTENT_TYPE);
  const transform = isStream ? streamTransformFor(flaws) : undefined;
  const buffer = flaws.includes('buffer-response');
  res.statusCode = up.statusCode ?? 502;
  for (const [name, values] of downstreamHeaders(up.rawHeaders, { dropContentLength: transform !== undefined })) {
    res.setHeader(name, values.length === 1 ? values[0]! : values);
  }
  if (!buffer && 'flushHeaders' in res) res.flushHeaders();
  const tracker = new FrameTracker();
  const held: Buffer[] = [];
  let done = false;
  let waiting = false;
  const write = (bytes: Uint8Array) => {
    if ((res as ServerResponse).write(bytes) || waiting) return;
    waiting = true;
    up.pause();
    res.once('drain', () => { waiting = false; up.resume(); });
  };
  up.on('data', (chunk: Buffer) => {
    if (done) return;
    if (isStream) tracker.segments(chunk);
    if (buffer) return void held.push(chunk);
    if (!transform) return write(chunk);
    const { out, end } = transform.push(chunk);
    for (const piece of out) write(piece);
    if (!end) return;
    done = true;
    res.end();
    up.destroy();
  });
  up.on('end', () => {
    if (done) return;
    done = true;
    // A stream that ends inside a frame was truncated upstream: the client must not see a clean end.
    if (isStream && tracker.midFrame) return abortClient(res);
    if (buffer) res.end(Buffer.concat(held));
    else res.end();
  });
  up.on('error', () => {});
  up.on('close', () => {
    if (done || up.complete) return;
    done = true;
    abortClient(res);
  });
}
