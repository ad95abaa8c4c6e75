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
