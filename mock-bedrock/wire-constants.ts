// Bedrock Runtime wire names, copied byte for byte from AWS responses (see WIRE.md).

/** The four Bedrock Runtime operations the mock serves, by their URL suffix. */
export const OPERATIONS = ['converse', 'converse-stream', 'invoke', 'invoke-with-response-stream'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Operations whose success response is an event stream. */
export const STREAMING_OPERATIONS: readonly Operation[] = ['converse-stream', 'invoke-with-response-stream'];

/** Content type of every event-stream response. */
export const EVENTSTREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** SigV4 signing name of Bedrock Runtime (the host says bedrock-runtime, the scope says bedrock). */
export const SIGNING_SERVICE = 'bedrock';

/** AWS's documentation example credentials: what the mock expects unless told otherwise. */
export const DEFAULT_CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
} as const;

/** Region the mock answers as unless told otherwise. */
export const DEFAULT_REGION = 'us-west-2';

/** Padding alphabet: the `"p"` field of every event payload is a prefix of this. */
export const PADDING_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** HTTP status per Bedrock error type, as the service documents them. */
export const ERROR_STATUS = {
  ValidationException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 404,
  ModelTimeoutException: 408,
  ModelErrorException: 424,
  ThrottlingException: 429,
  ModelNotReadyException: 429,
  ServiceQuotaExceededException: 400,
  InternalServerException: 500,
  ServiceUnavailableException: 503,
} as const;
export type BedrockErrorType = keyof typeof ERROR_STATUS;
export const ERROR_TYPES = Object.keys(ERROR_STATUS) as BedrockErrorType[];

/** Namespace suffix AWS appends to `x-amzn-ErrorType` for Bedrock's own errors. */
export const BEDROCK_ERROR_NAMESPACE = ':http://internal.amazon.com/coral/com.amazon.bedrock/';

/** Namespace suffix for signature failures (they come from the AWS front door, not Bedrock). */
export const CORAL_SERVICE_NAMESPACE = ':http://internal.amazon.com/coral/com.amazon.coral.service/';

/** Mid-stream exception types, lowerCamelCase as they appear in `:exception-type`. */
export const STREAM_EXCEPTION_TYPES = [
  'internalServerException',
  'modelStreamErrorException',
  'serviceUnavailableException',
  'throttlingException',
  'validationException',
] as const;
export type StreamExceptionType = (typeof STREAM_EXCEPTION_TYPES)[number];

/** Response header the mock sets on its own (harness) errors, so a runner can tell them from Bedrock's. */
export const HARNESS_ERROR_HEADER = 'x-bedrock-conformance-error';

/** Request header a client may use to ask for faults directly (JSON FaultPlan); runners use the library API. */
export const FAULT_REQUEST_HEADER = 'x-bedrock-conformance-faults';

/** Largest event-stream message AWS accepts (16 MiB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
