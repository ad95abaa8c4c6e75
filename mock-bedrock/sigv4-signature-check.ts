// The signature step proper: body hash first (the signer trusts x-amz-content-sha256, AWS does
// not), then the signature, then, on a mismatch, the diagnosis of what the gateway did instead.
import { computeSigV4, signaturesEqual } from './sigv4-canonical.ts';
import type { SigningInputs } from './sigv4-canonical.ts';
import { findSigningDifference } from './sigv4-diagnose.ts';
import { fastSignature } from './sigv4-fast-verify.ts';
import { signatureMismatch } from './sigv4-errors.ts';
import type { SigV4Failure } from './sigv4-errors.ts';

/** One signature to check, with the request facts the diagnosis needs. */
export interface SignatureCheck {
  /** The request as AWS canonicalises it; `payloadHash` is the mock's own hash of the body. */
  inputs: SigningInputs;
  provided: string;
  claimedBodyHash: string | undefined;
  bodyLength: number;
  /** Signed headers the request does not carry. */
  absent: readonly string[];
  acceptHostWithoutPort: boolean;
  /** false: compute every signature with smithy (the reference the fast path is tested against). */
  fastPath?: boolean;
}

/** Reason used when no known gateway mistake reproduces the signature. */
export const UNEXPLAINED_MISMATCH =
  'signature mismatch: no known gateway mistake reproduces it; the secret access key differs, or a signed header value, the query or the body changed after signing';

const short = (hash: string): string => (hash.length > 16 ? `${hash.slice(0, 12)}…` : hash);

async function bodyHashReason(c: SignatureCheck): Promise<string> {
  const claimed = c.claimedBodyHash ?? '';
  const actual = c.inputs.payloadHash;
  if (claimed === 'UNSIGNED-PAYLOAD') {
    return 'body hash mismatch: x-amz-content-sha256 is UNSIGNED-PAYLOAD, but Bedrock (not S3) hashes the body itself';
  }
  const asClaimed = await computeSigV4({ ...c.inputs, payloadHash: claimed });
  if (signaturesEqual(asClaimed.signature, c.provided)) {
    return `body hash mismatch: the body changed after signing (the signature matches x-amz-content-sha256 ${short(claimed)}, but the ${c.bodyLength}-byte body hashes to ${short(actual)})`;
  }
  return `body hash mismatch: x-amz-content-sha256 is ${short(claimed)} but the ${c.bodyLength}-byte body hashes to ${short(actual)} (and the signature matches neither)`;
}

function absentReason(absent: readonly string[]): string {
  const names = absent.map((n) => `'${n}'`).join(', ');
  const h2 = absent.includes(':authority') ? ' (signed for HTTP/2 but forwarded over HTTP/1.1?)' : ' (removed after signing?)';
  return `signed header${absent.length > 1 ? 's' : ''} ${names} missing from the request${h2}`;
}

/** Verifies the signature; on success, findings (a host accepted without its port). */
export async function checkSignature(c: SignatureCheck): Promise<{ ok: true; findings: string[] } | SigV4Failure> {
  // The common case, a request that verifies, skips smithy; any other answer is smithy's below.
  if (c.fastPath !== false && (c.claimedBodyHash === undefined || c.claimedBodyHash === c.inputs.payloadHash)) {
    const fast = fastSignature(c.inputs);
    if (fast !== undefined && signaturesEqual(fast, c.provided)) return { ok: true, findings: [] };
  }
  const expected = await computeSigV4(c.inputs);
  if (c.claimedBodyHash !== undefined && c.claimedBodyHash !== c.inputs.payloadHash) {
    return signatureMismatch(await bodyHashReason(c), expected);
  }
  if (signaturesEqual(expected.signature, c.provided)) return { ok: true, findings: [] };
  if (c.absent.length > 0) return signatureMismatch(absentReason(c.absent), expected);
  const signed = c.inputs.signedHeaders;
  const hostHeader = signed.includes('host') ? 'host' : signed.includes(':authority') ? ':authority' : undefined;
  const changes = await findSigningDifference({ base: c.inputs, expected, provided: c.provided, hostHeader });
  if (!changes) return signatureMismatch(UNEXPLAINED_MISMATCH, expected);
  const [first] = changes;
  if (changes.length === 1 && first?.what === 'host-without-port' && c.acceptHostWithoutPort) {
    return { ok: true, findings: [`host signed without port ${first.port} (accepted: acceptHostWithoutPort)`] };
  }
  const hostHint = changes.some((ch) => ch.what === 'host-without-port') && !c.acceptHostWithoutPort
    ? '; set acceptHostWithoutPort to accept a host signed without its port'
    : '';
  return signatureMismatch(changes.map((ch) => ch.text).join('; ') + hostHint, expected);
}
