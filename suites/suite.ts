// A suite is a plain value: an id, a title, and a function that runs its checks.
import type { LoadedCassette } from '../mock-bedrock/cassette.ts';
import type { RunningMock } from '../mock-bedrock/start-mock.ts';
import type { CheckResult } from '../reports/results.ts';
import type { ChatDriver } from './chat-driver.ts';
import type { ClientDriver } from './client-driver.ts';

/** Everything a suite may use; the runner builds it once per run. */
export interface SuiteContext {
  /** Base URL of the gateway under test (the reference gateway by default). */
  gatewayUrl: string;
  /** The mock behind the gateway: its request log, fault rules and extra cassettes. */
  mock: RunningMock;
  /** Native Bedrock client (the AWS SDK with dummy credentials) pointed at the gateway. */
  client: ClientDriver;
  /** OpenAI-compatible chat client pointed at the gateway, when the gateway translates that API. */
  chat?: ChatDriver;
  /** The shipped cassettes the mock serves. */
  cassettes: LoadedCassette[];
  /** Credentials the mock expects (the gateway's upstream credentials). */
  upstreamCredentials: { accessKeyId: string; secretAccessKey: string };
  /** Dummy credentials the client signs with; they must never reach the mock. */
  clientCredentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  seed: number;
  /** fast-check runs per property. */
  runs: number;
  /** Called as each check finishes, for progress output. */
  report(check: CheckResult): void;
}

export interface Suite {
  id: string;
  title: string;
  /** The client API the suite drives: the native Bedrock API (default) or OpenAI chat completions. */
  api?: 'bedrock' | 'openai';
  /** Runs every check of the suite; a check that cannot run returns status 'skip' with why. */
  run(ctx: SuiteContext): Promise<CheckResult[]>;
}
