// What a suite asks of a client: send one Bedrock call through the gateway and say what arrived.
import type { Operation } from '../mock-bedrock/wire-constants.ts';

/** One event as the client saw it, on the performance.now() clock. */
export interface ObservedEvent {
  t: number;
  /** Event name as the SDK names it (messageStart, contentBlockDelta, chunk, ...). */
  type: string;
  /** The event member's value as the SDK parsed it. */
  value: unknown;
}

/** The outcome of one call, success or not. Never throws for a gateway's misbehaviour. */
export interface CallObservation {
  /** performance.now() when the request was sent. */
  sentAt: number;
  status?: number;
  /** Events for streams (empty for non-stream calls). */
  events: ObservedEvent[];
  /** The parsed body for non-stream calls. */
  output?: unknown;
  /** Set when the SDK threw: exception name (ThrottlingException, ...), message, and when. */
  error?: { name: string; message: string; t: number; status?: number; errorType?: string };
  endedAt: number;
}

/** A call as plain data: which operation, which model, the JSON body (as a recording holds it). */
export interface CallSpec {
  operation: Operation;
  modelId: string;
  body: unknown;
  /** Give up after this long and report a hang (default 15 s). */
  timeoutMs?: number;
  /** How the client authenticates; the context's dummy long-term keys when absent. */
  auth?: ClientAuth;
}

/** Client credential kinds a gateway must cope with (it re-signs all of them with its own). */
export type ClientAuth =
  | { kind: 'sigv4'; accessKeyId: string; secretAccessKey: string; sessionToken?: string }
  | { kind: 'bearer'; token: string };

/** Raw HTTP view of one call: what bytes arrived, in which pieces, when. */
export interface RawObservation {
  sentAt: number;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: Uint8Array;
  /** Each read from the socket: when and how many bytes. */
  reads: { t: number; bytes: number }[];
  error?: string;
  endedAt: number;
}

export interface ClientDriver {
  /** Sends a call through the AWS SDK and observes the outcome. */
  call(spec: CallSpec): Promise<CallObservation>;
  /** Sends the same call signed with the SDK's signer but read raw, bypassing the SDK's decoder. */
  raw(spec: CallSpec): Promise<RawObservation>;
}
