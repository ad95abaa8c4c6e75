// Every suite, in the order a run goes through them (the order: the seed flow first).
import type { Suite } from '../suites/suite.ts';
import { toolUseFlowsSuite } from '../suites/tool-use-flows.ts';
import { parallelToolUseSuite } from '../suites/parallel-tool-use.ts';
import { streamFidelitySuite } from '../suites/stream-fidelity.ts';
import { chunkingPropertySuite } from '../suites/chunking-property.ts';
import { noBufferingSuite } from '../suites/no-buffering.ts';
import { sigv4ResigningSuite } from '../suites/sigv4-resigning.ts';
import { credentialHygieneSuite } from '../suites/credential-hygiene.ts';
import { errorsSuite } from '../suites/errors.ts';
import { brokenUpstreamSuite } from '../suites/broken-upstream.ts';
import { requestFidelitySuite } from '../suites/request-fidelity.ts';
import { concurrencySuite } from '../suites/concurrency.ts';
import { openAiToolUseFlowsSuite } from '../suites/openai-tool-use-flows.ts';
import { openAiChunkingSuite } from '../suites/openai-chunking.ts';
import { openAiNoBufferingSuite } from '../suites/openai-no-buffering.ts';
import { openAiSigv4Suite } from '../suites/openai-sigv4.ts';
import { openAiErrorsSuite } from '../suites/openai-errors.ts';
import { openAiConcurrencySuite } from '../suites/openai-concurrency.ts';

/** The suites `run` knows, in run order; `--suite` filters this list. */
export const SUITES: Suite[] = [
  toolUseFlowsSuite,
  parallelToolUseSuite,
  streamFidelitySuite,
  chunkingPropertySuite,
  noBufferingSuite,
  sigv4ResigningSuite,
  credentialHygieneSuite,
  errorsSuite,
  brokenUpstreamSuite,
  requestFidelitySuite,
  concurrencySuite,
];

/** Suites for gateways that translate OpenAI chat completions into Bedrock (run with --profile). */
export const CHAT_SUITES: Suite[] = [
  openAiToolUseFlowsSuite,
  openAiChunkingSuite,
  openAiNoBufferingSuite,
  openAiSigv4Suite,
  openAiErrorsSuite,
  openAiConcurrencySuite,
];
