// The cassette format: one scenario per file, readable JSON, byte-exact on replay.
import type { Operation } from './wire-constants.ts';
import type { FaultPlan } from './fault-plan.ts';

/** Current cassette schema version; the loader rejects any other. */
export const CASSETTE_VERSION = 1;

/** Where a cassette came from; `synthetic` ones were written by hand or by a generator. */
export const CASSETTE_ORIGINS = ['recorded', 'imported', 'synthetic'] as const;
export type CassetteOrigin = (typeof CASSETTE_ORIGINS)[number];

/** A typed event-stream header whose type is not `string` (strings are stored bare). */
export interface TypedHeaderValue {
  type: 'boolean' | 'byte' | 'short' | 'integer' | 'long' | 'binary' | 'timestamp' | 'uuid';
  /** JSON form: number/boolean as is; long as a decimal string; binary as base64; timestamp as ISO. */
  value: string | number | boolean;
}

/**
 * One event-stream frame. Header order is the object's key order. Exactly one payload form is set:
 * `json` when JSON.stringify reproduces the recorded bytes, `chunk` for an invoke-stream chunk
 * whose base64 `bytes` hold model JSON (shown decoded), else `text`, else `base64`.
 */
export interface CassetteEvent {
  /** Milliseconds after the response started when the frame was received (for paced replay). */
  at: number;
  headers: Record<string, string | TypedHeaderValue>;
  json?: unknown;
  chunk?: { bytes: unknown; p?: string };
  text?: string;
  base64?: string;
}

/** What a request must look like to be answered by an interaction. */
export interface CassetteRequest {
  operation: Operation;
  modelId: string;
  /** Parsed JSON request body as recorded (credentials never appear here). */
  body: unknown;
}

/** A recorded response: either an event stream or a single body. */
export interface CassetteResponse {
  status: number;
  /** Response headers in wire order, without hop-by-hop ones the server sets itself. */
  headers: [string, string][];
  /** For streams: the frames in order. */
  events?: CassetteEvent[];
  /** For non-stream bodies: `json` when JSON.stringify reproduces the bytes, else `text`. */
  json?: unknown;
  text?: string;
}

export interface CassetteInteraction {
  request: CassetteRequest;
  response: CassetteResponse;
}

export interface CassetteSource {
  origin: CassetteOrigin;
  /** Free text: a capture file and commit, a recording region and date, or the generator. */
  from: string;
  recordedAt?: string;
}

export interface Cassette {
  version: typeof CASSETTE_VERSION;
  id: string;
  description: string;
  source: CassetteSource;
  /** Faults applied when the runner asks for none (rare: most cassettes leave this out). */
  faults?: FaultPlan;
  interactions: CassetteInteraction[];
}

/** A cassette as loaded, with the file it came from for messages. */
export interface LoadedCassette extends Cassette {
  file: string;
}
