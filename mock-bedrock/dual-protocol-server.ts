// HTTP/1.1 and cleartext HTTP/2 on one port: the JS SDK speaks h2c by default, boto3 and most
// gateways speak HTTP/1.1, and neither should need configuring to reach the mock.
import { createServer as createHttp1Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';

/** The first bytes of every HTTP/2 prior-knowledge connection. */
const H2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');

export type DualHandler = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

/** A TCP server that looks at each connection's first bytes and hands it to the right protocol. */
export function createDualProtocolServer(handler: DualHandler): { server: Server; destroyConnections(): void } {
  const http1 = createHttp1Server({ keepAliveTimeout: 65_000 }, handler);
  const http2 = createHttp2Server({}, handler);
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.setNoDelay(true);
    let seen = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      seen = Buffer.concat([seen, chunk]);
      const n = Math.min(seen.length, H2_PREFACE.length);
      const couldBeH2 = seen.subarray(0, n).equals(H2_PREFACE.subarray(0, n));
      if (couldBeH2 && seen.length < H2_PREFACE.length) return;
      socket.off('data', onData);
      socket.pause();
      socket.unshift(seen);
      (couldBeH2 ? http2 : http1).emit('connection', socket);
      process.nextTick(() => socket.resume());
    };
    socket.on('data', onData);
    socket.on('error', () => socket.destroy());
  });
  // Closing must not wait for idle keep-alive connections or streams a test left open.
  const destroyConnections = () => {
    for (const socket of sockets) socket.destroy();
  };
  return { server, destroyConnections };
}
