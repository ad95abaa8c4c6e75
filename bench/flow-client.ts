// Either load client behind the one FlowClient interface, so the load loop does not care which it drives.
import type { ClientKind } from './bench-args.ts';
import { benchClient, sdkFlowClient, type FlowClient } from './bench-client.ts';
import { LightClient } from './light-client.ts';

/** How each client kind is named in the bench's output. */
export const CLIENT_LABELS: Record<ClientKind, string> = {
  sdk: 'AWS SDK client',
  light: 'light client: SigV4 + smithy event-stream decoder',
};

/** A client of `kind` for `endpoint` with `maxSockets` keep-alive sockets and no retries. */
export function flowClient(kind: ClientKind, endpoint: string, maxSockets: number): FlowClient {
  return kind === 'light' ? new LightClient(endpoint, maxSockets) : sdkFlowClient(benchClient(endpoint, maxSockets));
}
