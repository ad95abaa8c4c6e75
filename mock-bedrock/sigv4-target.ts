// The raw request target as SigV4 sees it: the path is signed from the wire form (never decoded),
// and gateways get its encoding wrong in a few recognisable ways, so we can rebuild those too.

/** Query parameters decoded from the target, in the shape the smithy signer takes. */
export type SignerQuery = Record<string, string | string[]>;

/** Path and query of a raw target such as `/model/a%3A0/converse?x=1`. */
export interface SplitTarget {
  path: string;
  query: SignerQuery;
}

/** smithy's escapeUri (RFC 3986 unreserved set): what AWS applies to each canonical path segment. */
export function escapeUri(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Splits a raw target into its undecoded path and its decoded query (the signer re-encodes both). */
export function splitTarget(target: string): SplitTarget {
  const at = target.indexOf('?');
  const path = at === -1 ? target : target.slice(0, at);
  const params = new Map<string, string | string[]>();
  const search = at === -1 ? '' : target.slice(at + 1);
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = safeDecode(rawKey) ?? rawKey;
    const value = safeDecode(rawValue) ?? rawValue;
    const prior = params.get(key);
    params.set(key, prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value]);
  }
  // fromEntries defines own properties: a '__proto__' parameter stays a parameter.
  return { path: path === '' ? '/' : path, query: Object.fromEntries(params) };
}

/** A way a signer might have encoded the path: `path` is what it handed to the canonicaliser. */
export interface PathVariant {
  /** How many times the decoded path segments end up encoded in the canonical URI. */
  encodings: number;
  path: string;
  /** false: the canonical URI is `path` itself (the 0-encodings case). */
  escape: boolean;
}

/** Names for encoding counts, in the words gateway bug reports use. */
export function encodingName(encodings: number): string {
  return ['unencoded', 'singly-encoded', 'double-encoded', 'triple-encoded'][encodings] ?? `${encodings}-times-encoded`;
}

function encodeTimes(segment: string, times: number): string {
  let out = segment;
  for (let i = 0; i < times; i++) out = escapeUri(out);
  return out;
}

/**
 * The canonical-path candidates 0 to 3 times encoded, built from the decoded segments of the raw
 * path. The correct one (the raw path encoded once more) is among them when the wire path is
 * consistently encoded; callers drop whichever equals it. Empty when a segment cannot be decoded.
 */
export function pathVariants(rawPath: string): PathVariant[] {
  const decoded = rawPath.split('/').map(safeDecode);
  if (decoded.some((s) => s === undefined)) return [];
  const segments = decoded as string[];
  const variants: PathVariant[] = [{ encodings: 0, path: segments.join('/'), escape: false }];
  for (let encodings = 1; encodings <= 3; encodings++) {
    variants.push({ encodings, path: segments.map((s) => encodeTimes(s, encodings - 1)).join('/'), escape: true });
  }
  return variants;
}
