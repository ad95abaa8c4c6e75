// Mid-stream failure frames, laid out the way AWS sends them.
import { fromUtf8 } from '@smithy/util-utf8';
import { encodeMessage } from './event-codec.ts';
import type { StreamExceptionType } from './wire-constants.ts';

/**
 * A modelled mid-stream exception. Header order `:exception-type`, `:content-type`, `:message-type`
 * and the bare `{"message":…}` payload (no `"p"` padding) match Bedrock exception frames kept as
 * test fixtures in public projects (byte-identical, CRCs included; see test/exception-frame.test.ts).
 */
export function exceptionFrame(type: StreamExceptionType, message: string): Uint8Array {
  return encodeMessage({
    headers: {
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    body: fromUtf8(JSON.stringify({ message })),
  });
}

/**
 * An unmodelled error (`:message-type: error`): code and message travel in headers and the payload
 * is empty, in the order of botocore's event-stream test vector.
 */
export function errorFrame(code: string, message: string): Uint8Array {
  return encodeMessage({
    headers: {
      ':message-type': { type: 'string', value: 'error' },
      ':error-code': { type: 'string', value: code },
      ':error-message': { type: 'string', value: message },
    },
    body: new Uint8Array(0),
  });
}

/** Message of an injected exception when the plan gives none: recognisable, so checks can see it passed through. */
export function defaultExceptionMessage(type: StreamExceptionType): string {
  return `Injected ${type} (bedrock-conformance fault)`;
}
