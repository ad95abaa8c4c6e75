// Parsing the Authorization header into the SigV4 parts AWS checks, without judging them yet.

/** What an Authorization header turned out to be. */
export type ParsedAuthorization =
  | { kind: 'bearer'; key: string }
  | { kind: 'sigv4'; algorithm: string; params: Partial<Record<SigV4Param, string>> }
  | { kind: 'bad-pair'; pair: string }
  | { kind: 'other-scheme'; scheme: string };

/** The three parameters of a header-signed request, named as AWS names them in messages. */
export const SIGV4_PARAMS = ['Credential', 'Signature', 'SignedHeaders'] as const;
export type SigV4Param = (typeof SIGV4_PARAMS)[number];

/** The one algorithm AWS accepts in header-signed requests. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** Splits `ALG Credential=…, SignedHeaders=…, Signature=…` (comma and/or space separated). */
export function parseAuthorization(value: string): ParsedAuthorization {
  const trimmed = value.trim();
  const bearer = /^Bearer\s+(.*)$/i.exec(trimmed);
  if (bearer) return { kind: 'bearer', key: bearer[1]!.trim() };
  const space = trimmed.search(/\s/);
  const scheme = space === -1 ? trimmed : trimmed.slice(0, space);
  if (!scheme.startsWith('AWS4-')) return { kind: 'other-scheme', scheme };
  const params: Partial<Record<SigV4Param, string>> = {};
  const rest = space === -1 ? '' : trimmed.slice(space + 1);
  for (const pair of rest.split(/[,\s]+/)) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq === -1) return { kind: 'bad-pair', pair };
    const name = pair.slice(0, eq);
    const known = SIGV4_PARAMS.find((p) => p === name);
    if (known) params[known] = pair.slice(eq + 1);
  }
  return { kind: 'sigv4', algorithm: scheme, params };
}

/** The five slash-separated parts of a Credential value. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** Splits `AKID/20240101/us-west-2/bedrock/aws4_request`; undefined unless there are exactly five parts. */
export function parseCredential(value: string): CredentialScope | undefined {
  const parts = value.replace(/\/+$/, '').split('/');
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}

/** The SignedHeaders list, lowercased, in the order given (empty entries dropped). */
export function parseSignedHeaders(value: string): string[] {
  return value.split(';').map((h) => h.trim().toLowerCase()).filter((h) => h !== '');
}
