// Header lookup for SigV4 verification, built once per request: most lookups are one own-key check.

const { propertyIsEnumerable } = Object.prototype;

/** Reads one header by its lowercase name. */
export type HeaderReader = (name: string) => string | undefined;

/**
 * headerValue's lookup for one request: the key itself, else the first key that lowercases to the
 * name, with repeated values joined by ',' as SigV4 joins them. The case-insensitive fallback
 * indexes the headers at most once per reader (it ran a full scan per lookup before).
 */
export function headerReader(headers: Record<string, string | string[] | undefined>): HeaderReader {
  let byLowercase: Map<string, unknown> | undefined;
  return (name) => {
    let value: unknown;
    if (propertyIsEnumerable.call(headers, name)) {
      value = headers[name];
    } else {
      // The first key whose lowercased form is `name`: only keys that lowercasing changes can be
      // it (an unchanged one would be `name` itself), and Node's headers have none.
      if (!byLowercase) {
        byLowercase = new Map();
        for (const k of Object.keys(headers)) {
          const lower = k.toLowerCase();
          if (lower !== k && !byLowercase.has(lower)) byLowercase.set(lower, headers[k]);
        }
      }
      value = byLowercase.get(name);
    }
    if (Array.isArray(value)) return value.join(',');
    return typeof value === 'string' ? value : undefined;
  };
}
