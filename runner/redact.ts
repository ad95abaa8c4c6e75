// Redaction for the recorder: credentials never reach a cassette, log or message; account ids
// inside ARNs are replaced before anything is stored (talkback/Polly: redact before disk).

/** Request headers never stored, and dropped before the proxy re-signs (credentials, cookies). */
export const EXCLUDED_REQUEST_HEADERS: readonly string[] = [
  'authorization', 'x-amz-security-token', 'x-amz-date', 'x-amz-content-sha256', 'cookie',
];

/** Response headers never stored in a cassette (cookies and anything credential-shaped). */
export const EXCLUDED_RESPONSE_HEADERS: readonly string[] = [
  'set-cookie', 'set-cookie2', 'authorization', 'x-amz-security-token', 'x-amz-date', 'x-amz-content-sha256',
];

/** What an account id inside an ARN becomes (same length, so frame and body sizes do not move). */
export const ACCOUNT_ID_PLACEHOLDER = '000000000000';

/** Whether account ids stay as recorded (`--keep-account-ids`). */
export interface RedactOptions {
  keepAccountIds?: boolean;
}

const ARN_ACCOUNT = /(arn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:)(\d{12})(?=[:/])/g;
const SECRET_SHAPES: [RegExp, string][] = [
  [/Signature=[0-9a-fA-F]{16,}/g, 'Signature=<redacted>'],
  [/Credential=[^,\s"]+/g, 'Credential=<redacted>'],
  [/\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g, '<redacted-access-key>'],
  [/(x-amz-security-token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1<redacted>'],
  [/(authorization["']?\s*[:=]\s*["']?)[^"'\n}]+/gi, '$1<redacted>'],
  // SigV4 timestamps (x-amz-date values, also inside a quoted canonical request or string-to-sign).
  [/\b\d{8}T\d{6}Z\b/g, '<redacted-date>'],
];

const knownSecrets = new Set<string>();
const knownAccountIds = new Set<string>();

/** Registers a secret value (key id, secret key, session token) so every redaction removes it. */
export function rememberSecret(value: string | undefined): void {
  if (value && value.length >= 4) knownSecrets.add(value);
}

/** Replaces the account id of every ARN; ids once seen in an ARN are also replaced where they stand alone. */
export function redactAccountIds(text: string): string {
  let out = text.replace(ARN_ACCOUNT, (_all, head: string, id: string) => {
    knownAccountIds.add(id);
    return head + ACCOUNT_ID_PLACEHOLDER;
  });
  for (const id of knownAccountIds) out = out.split(id).join(ACCOUNT_ID_PLACEHOLDER);
  return out;
}

/** For recorded data (bodies, model output): known secret values and ARN account ids go. */
export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const secret of [...knownSecrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join('<redacted>');
  return options.keepAccountIds ? out : redactAccountIds(out);
}

/**
 * For messages, logs, headers and error bodies: `redactText` plus anything shaped like a
 * signature, credential scope, access key id, session token, Authorization value or SigV4 date.
 */
export function scrub(text: string, options: RedactOptions = {}): string {
  let out = redactText(text, { keepAccountIds: true });
  for (const [shape, replacement] of SECRET_SHAPES) out = out.replace(shape, replacement);
  return options.keepAccountIds ? out : redactAccountIds(out);
}

/** Deep copy of a JSON value with `redactString` applied to every string, keys included. */
export function redactJson(value: unknown, redactString: (text: string) => string): unknown {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, redactString));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactString(k), redactJson(v, redactString)]));
  }
  return value;
}

/** Response headers as a cassette stores them: excluded ones dropped, values scrubbed. */
export function redactResponseHeaders(headers: [string, string][], options: RedactOptions = {}): [string, string][] {
  return headers
    .filter(([name]) => !EXCLUDED_RESPONSE_HEADERS.includes(name.toLowerCase()))
    .map(([name, value]) => [name, scrub(value, options)]);
}
