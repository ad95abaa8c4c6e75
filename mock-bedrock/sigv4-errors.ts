// AWS's answers to authentication failures, as verdict values. Wording copied from AWS responses
// quoted in public issues (Bedrock's own 403 for a missing header; coral's SigV4 messages).
import type { SigV4Verdict } from './sigv4-verify.ts';
import type { SigningResult } from './sigv4-canonical.ts';

/** A rejected request: what the mock answers and why. */
export type SigV4Failure = Extract<SigV4Verdict, { ok: false }>;

/** AWS's base text for a signature that does not verify. */
export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Bedrock Runtime's body (key `Message`) when no Authorization header arrives at all. */
export const MISSING_AUTHORIZATION_MESSAGE = 'Authorization header is missing';

/** AWS's text for an unknown access key id or an unacceptable session token. */
export const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';

/** Bedrock's texts for API keys: a key without the `ABSK` prefix, and an unknown key. */
export const API_KEY_FORMAT_MESSAGE = 'Invalid API Key format: Must start with pre-defined prefix';
export const API_KEY_INVALID_MESSAGE = 'Authentication failed: Please make sure your API Key is valid.';

/** Builds a 403 verdict (every authentication failure of Bedrock Runtime is a 403). */
export function reject(errorType: string, reason: string, message: string): SigV4Failure {
  return { ok: false, errorType, status: 403, reason, message };
}

/** Hides header values that are credentials (a forwarded session token) in shown canonical text. */
export function redactCanonical(text: string): string {
  return text.replace(/^x-amz-security-token:.*$/m, 'x-amz-security-token:<redacted>');
}

/** InvalidSignatureException with the canonical request and string-to-sign the mock expected. */
export function signatureMismatch(reason: string, expected: SigningResult): SigV4Failure {
  const canonicalRequest = redactCanonical(expected.canonicalRequest);
  const { stringToSign } = expected;
  const message =
    `${SIGNATURE_MISMATCH_MESSAGE}\n\nThe Canonical String for this request should have been\n'${canonicalRequest}'\n\n` +
    `The String-to-Sign should have been\n'${stringToSign}'\n`;
  return { ...reject('InvalidSignatureException', reason, message), expected: { canonicalRequest, stringToSign } };
}

/** IncompleteSignatureException for missing parameters or date, echoing the header as AWS does. */
export function incompleteSignature(missing: readonly string[], missingDate: boolean, authorization: string): SigV4Failure {
  const parts = missing.map((p) => `Authorization header requires '${p}' parameter.`);
  if (missingDate) parts.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const reason = [
    missing.length > 0 ? `Authorization header lacks ${missing.join(', ')}` : '',
    missingDate ? 'no x-amz-date or date header' : '',
  ].filter((s) => s !== '').join('; ');
  return reject('IncompleteSignatureException', `incomplete signature: ${reason}`, `${parts.join(' ')} Authorization=${authorization}`);
}

/** Shows an access key id without giving it away: enough to recognise, not to reuse. */
export function maskKeyId(id: string): string {
  return id.length <= 8 ? `${id.slice(0, 2)}…` : `${id.slice(0, 4)}…${id.slice(-2)} (${id.length} chars)`;
}
