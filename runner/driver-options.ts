// How the runner's clients (SDK and raw) reach the gateway; shared so neither imports the other.
import type { SigningCredentials } from './sign-request.ts';

/** How the runner's client reaches the gateway. */
export interface SdkDriverOptions {
  gatewayUrl: string;
  /** The dummy credentials used when a call names no `auth`. */
  credentials: SigningCredentials;
  region?: string;
  /** Speak HTTP/2 (cleartext, prior knowledge) instead of HTTP/1.1. */
  http2?: boolean;
}

/** Default time a call may take before it is reported as a hang. */
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;
