// The two credential policies outside the signature itself: Bedrock API keys (Bearer) and the
// session token a re-signing gateway must drop or replace.
import { API_KEY_FORMAT_MESSAGE, API_KEY_INVALID_MESSAGE, reject } from './sigv4-errors.ts';
import type { SigV4Failure } from './sigv4-errors.ts';
import type { SigV4Verdict } from './sigv4-verify.ts';

/** Prefix of Bedrock API keys; Bedrock rejects anything else as a malformed key. */
export const API_KEY_PREFIX = 'ABSK';

/** Accepts `Authorization: Bearer <key>` when the key is one of the configured API keys. */
export function checkApiKey(key: string, apiKeys: readonly string[] | undefined): SigV4Verdict {
  if ((apiKeys ?? []).includes(key)) return { ok: true, scheme: 'bearer', findings: [] };
  if (!key.startsWith(API_KEY_PREFIX)) {
    return reject('AccessDeniedException', `Bearer key does not start with '${API_KEY_PREFIX}' and is not a configured API key`, API_KEY_FORMAT_MESSAGE);
  }
  const why = apiKeys && apiKeys.length > 0 ? 'is not one of the configured API keys' : 'was sent but the mock has no API keys configured';
  return reject('AccessDeniedException', `Bearer API key ${why}`, API_KEY_INVALID_MESSAGE);
}

// AWS's token check answers without the final period (unlike the access-key one), as dynalite records.
const TOKEN_MESSAGE = 'The security token included in the request is invalid';

/**
 * Session-token rules: with long-term mock credentials any `x-amz-security-token` is foreign (the
 * gateway forwarded the client's); with temporary ones the token must be present, equal and signed.
 */
export function checkSessionToken(
  token: string | undefined,
  signed: readonly string[],
  expected: string | undefined,
): SigV4Failure | undefined {
  const isSigned = signed.includes('x-amz-security-token');
  if (expected === undefined) {
    if (token === undefined) return undefined;
    return reject(
      'UnrecognizedClientException',
      `x-amz-security-token present (${isSigned ? 'signed' : 'unsigned'}) but the mock's credentials are long-term: the gateway forwarded the client's session token instead of dropping it when re-signing`,
      TOKEN_MESSAGE,
    );
  }
  if (token === undefined) {
    return reject('UnrecognizedClientException', "x-amz-security-token missing: the mock's credentials are temporary and need their session token", TOKEN_MESSAGE);
  }
  if (token !== expected) {
    return reject('UnrecognizedClientException', "x-amz-security-token does not match the mock's session token (the client's token was forwarded?)", TOKEN_MESSAGE);
  }
  if (!isSigned) {
    // The mock's own rule (AWS's handling of an unsigned token is not recorded); worded like AWS's Host rule.
    return reject(
      'InvalidSignatureException',
      'x-amz-security-token is not in SignedHeaders (the mock requires the session token to be signed)',
      "'x-amz-security-token' must be a 'SignedHeader' in the AWS Authorization.",
    );
  }
  return undefined;
}
