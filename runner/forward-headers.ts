// Which headers a re-signing proxy passes on, each way: never the client's credentials, never
// hop-by-hop headers; everything else as the client or the upstream sent it.
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayFlaw } from './gateway-flaws.ts';

/** Hop-by-hop headers (RFC 9110 §7.6.1) plus HTTP/2's, which no proxy forwards. */
export const HOP_BY_HOP_HEADERS: readonly string[] = [
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization',
  'te', 'trailer', 'transfer-encoding', 'upgrade', 'http2-settings',
];

/** The client's signature and credentials: replaced by the gateway's own when it re-signs. */
export const CLIENT_CREDENTIAL_HEADERS: readonly string[] = ['authorization', 'x-amz-security-token', 'x-amz-date', 'x-amz-content-sha256'];

/** Headers the proxy sets itself for the upstream hop. */
const RECOMPUTED = ['host', 'content-length', 'expect'];

function connectionTokens(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(',') : value ?? '';
  return text.split(',').map((token) => token.trim().toLowerCase()).filter(Boolean);
}

/** The client's headers as they go upstream (before signing), lower-cased, one value each. */
export function upstreamHeaders(incoming: IncomingHttpHeaders, flaws: readonly GatewayFlaw[] = []): Record<string, string> {
  const drop = new Set([...HOP_BY_HOP_HEADERS, ...RECOMPUTED, ...connectionTokens(incoming.connection)]);
  if (!flaws.includes('no-resign')) {
    for (const name of CLIENT_CREDENTIAL_HEADERS) {
      if (!(name === 'x-amz-security-token' && flaws.includes('leak-client-headers'))) drop.add(name);
    }
  }
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    const lower = name.toLowerCase();
    if (lower.startsWith(':') || drop.has(lower) || value === undefined) continue;
    out[lower] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The upstream's response headers in wire order and casing, minus hop-by-hop ones. */
export function downstreamHeaders(rawHeaders: string[], options: { dropContentLength?: boolean } = {}): [string, string[]][] {
  const listed: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') listed.push(rawHeaders[i + 1]!);
  }
  const drop = new Set([...HOP_BY_HOP_HEADERS, ...connectionTokens(listed)]);
  const byName = new Map<string, [string, string[]]>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (drop.has(lower) || (options.dropContentLength && lower === 'content-length')) continue;
    const entry = byName.get(lower);
    if (entry) entry[1].push(rawHeaders[i + 1]!);
    else byName.set(lower, [name, [rawHeaders[i + 1]!]]);
  }
  return [...byName.values()];
}
