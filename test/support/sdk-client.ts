// An AWS SDK Bedrock client for tests: the mock's credentials, HTTP/1.1 or the SDK's HTTP/2 default, no retries.
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../../mock-bedrock/wire-constants.ts';

/** A client for `endpoint`; `http2` keeps the SDK's default handler. Fresh credentials each time: the SDK mutates them. */
export function sdkClient(endpoint: string, options: { http2?: boolean; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } = {}): BedrockRuntimeClient {
  return new BedrockRuntimeClient({
    endpoint,
    region: DEFAULT_REGION,
    credentials: { ...(options.credentials ?? DEFAULT_CREDENTIALS) },
    maxAttempts: 1,
    ...(options.http2 ? {} : { requestHandler: new NodeHttpHandler() }),
  });
}
