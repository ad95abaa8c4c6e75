// Error answers shaped like Bedrock's: status, x-amzn-ErrorType with its namespace, {"message"}.
import {
  BEDROCK_ERROR_NAMESPACE, CORAL_SERVICE_NAMESPACE, ERROR_STATUS, HARNESS_ERROR_HEADER, type BedrockErrorType,
} from './wire-constants.ts';

/** A complete non-stream response the transport writes as is. */
export interface PlainResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** Error types that come from AWS's front door rather than from Bedrock itself. */
export type FrontDoorErrorType =
  | 'InvalidSignatureException' | 'UnrecognizedClientException' | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException' | 'UnknownOperationException' | 'SerializationException';

function jsonError(status: number, errorType: string, message: string, extra: [string, string][] = []): PlainResponse {
  return {
    status,
    headers: [['content-type', 'application/json'], ['x-amzn-ErrorType', errorType], ...extra],
    body: Buffer.from(JSON.stringify({ message }), 'utf8'),
  };
}

/** A Bedrock error (ValidationException, ThrottlingException, ...) with its documented status. */
export function bedrockError(type: BedrockErrorType, message: string): PlainResponse {
  return jsonError(ERROR_STATUS[type], `${type}${BEDROCK_ERROR_NAMESPACE}`, message);
}

/** An error from AWS's front door (signature, unknown operation), as AWS namespaces them. */
export function frontDoorError(type: FrontDoorErrorType, status: number, message: string): PlainResponse {
  return jsonError(status, `${type}${CORAL_SERVICE_NAMESPACE}`, message);
}

/**
 * The mock's own failure (no cassette matches, malformed cassette): Bedrock-shaped so any client
 * can read it, and marked with HARNESS_ERROR_HEADER so a runner never mistakes it for Bedrock's.
 */
export function harnessError(code: string, message: string): PlainResponse {
  return jsonError(400, `ValidationException${BEDROCK_ERROR_NAMESPACE}`, `bedrock-conformance mock: ${message}`, [
    [HARNESS_ERROR_HEADER, code],
  ]);
}
