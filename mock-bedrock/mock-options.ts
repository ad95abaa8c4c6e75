// Settings of a mock instance, with the defaults DESIGN.md gives.
import type { Cassette } from './cassette.ts';
import type { FaultPlan } from './fault-plan.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from './wire-constants.ts';

export interface MockOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Directory of cassette files to serve; loaded at start. */
  cassettesDir?: string;
  /** Cassettes given directly (a runner's generated ones); served alongside the directory's. */
  cassettes?: Cassette[];
  verifySigV4?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  /** Accept a `host` header signed without its port (Kong, Portkey) and report it as a finding. */
  acceptHostWithoutPort?: boolean;
  /** Bedrock API keys accepted as `Authorization: Bearer <key>`. */
  apiKeys?: string[];
  /** Faults for every request that no rule, header or cassette sets. */
  defaultFaults?: FaultPlan;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** How many request records to keep in memory. */
  logLimit?: number;
}

/** The options with every default filled in. */
export type ResolvedMockOptions = Required<Omit<MockOptions, 'cassettesDir' | 'cassettes' | 'defaultFaults'>> &
  Pick<MockOptions, 'cassettesDir' | 'cassettes' | 'defaultFaults'>;

/** Fills in the defaults: loopback, example credentials, us-west-2, SigV4 checked. */
export function resolveMockOptions(options: MockOptions = {}): ResolvedMockOptions {
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    cassettesDir: options.cassettesDir,
    cassettes: options.cassettes,
    verifySigV4: options.verifySigV4 ?? true,
    credentials: options.credentials ?? { ...DEFAULT_CREDENTIALS },
    region: options.region ?? DEFAULT_REGION,
    acceptHostWithoutPort: options.acceptHostWithoutPort ?? false,
    apiKeys: options.apiKeys ?? [],
    defaultFaults: options.defaultFaults,
    maxBodyBytes: options.maxBodyBytes ?? 25 * 1024 * 1024,
    logLimit: options.logLimit ?? 10_000,
  };
}
