// The AWS SDK, over its default HTTP/2 and over HTTP/1.1, completes the recorded two-round tool-use
// flows straight against the mock, SigV4 verified: ConverseStream, Converse and InvokeModelWithResponseStream.
import test from 'ava';
import { join } from 'node:path';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS } from '../mock-bedrock/wire-constants.ts';
import { createSdkDriver } from '../runner/sdk-driver.ts';
import { runToolUseFlow } from '../suites/tool-use-flow.ts';
import { REPO_ROOT } from './shared-paths.ts';

const FLOWS = [
  { file: 'seed-cohere-top-song-converse-stream', final: 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.' },
  { file: 'seed-cohere-top-song-converse', final: 'The most popular song on WZPZ is Elemental Hotel by 8 Storey Hike.' },
  { file: 'claude-invoke-stream-tool-use' },
];

for (const http2 of [true, false]) {
  for (const flow of FLOWS) {
    test(`mock sdk flows › ${flow.file} completes both rounds over ${http2 ? 'HTTP/2 (SDK default)' : 'HTTP/1.1'}`, async (t) => {
      const read = await readCassetteFile(join(REPO_ROOT, 'cassettes/synthetic', `${flow.file}.json`));
      if (!read.ok) return t.fail(read.errors.join('\n'));
      const mock = await startMock({ cassettes: [read.cassette] });
      try {
        const client = createSdkDriver({ gatewayUrl: mock.url, credentials: { ...DEFAULT_CREDENTIALS }, http2 });
        const outcome = await runToolUseFlow({ client, mock }, read.cassette);
        t.true(outcome.ok, `${outcome.message}\n${outcome.evidence.join('\n')}`);
        if (flow.final) t.is(outcome.finalText, flow.final);
        t.truthy(outcome.finalText);
        const records = mock.log.records;
        t.deepEqual(records.map((r) => [r.interaction, r.sigv4?.ok, r.httpVersion]), [[0, true, http2 ? '2.0' : '1.1'], [1, true, http2 ? '2.0' : '1.1']]);
      } finally {
        await mock.close();
      }
    });
  }
}
