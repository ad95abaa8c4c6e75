// A plain HTTP/1.1 POST that returns the exact response bytes, for byte-level assertions.
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  rawHeaderNames: string[];
  body: Buffer;
}

/** POSTs `body` to `url` + `target` (sent as is, not re-encoded) and collects the whole answer. */
export function rawPost(url: string, target: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method: 'POST', path: target, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        rawHeaderNames: res.rawHeaders.filter((_, i) => i % 2 === 0),
        body: Buffer.concat(chunks),
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
