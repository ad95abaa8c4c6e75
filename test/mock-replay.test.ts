// The mock serves every shipped cassette back byte for byte, and the real captures unchanged.
import test from 'ava';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { EVENTSTREAM_CONTENT_TYPE } from '../mock-bedrock/wire-constants.ts';
import { rawPost } from './support/raw-post.ts';
import { CAPTURES_DIR, REPO_ROOT, requireShared } from './shared-paths.ts';

const CASSETTES = join(REPO_ROOT, 'cassettes');
const files = ['imported', 'synthetic'].flatMap((dir) =>
  readdirSync(join(CASSETTES, dir)).filter((f) => f.endsWith('.json')).map((f) => join(CASSETTES, dir, f)));

const targetOf = (operation: string, modelId: string) => `/model/${encodeURIComponent(modelId)}/${operation}`;

for (const file of files) {
  test(`mock replay › ${file.slice(CASSETTES.length + 1)} is served byte-identical`, async (t) => {
    const read = await readCassetteFile(file);
    if (!read.ok) return t.fail(read.errors.join('\n'));
    const mock = await startMock({ cassettes: [read.cassette], verifySigV4: false });
    try {
      for (const [i, interaction] of read.cassette.interactions.entries()) {
        const { request, response } = interaction;
        const res = await rawPost(mock.url, targetOf(request.operation, request.modelId), JSON.stringify(request.body));
        t.is(res.status, response.status, `interaction ${i} status`);
        t.is(res.headers['x-bedrock-conformance-error'], undefined, `interaction ${i} matched`);
        for (const [name, value] of response.headers.filter(([n]) => !/^(content-length|transfer-encoding|connection|date|set-cookie)$/i.test(n))) {
          t.is(res.headers[name.toLowerCase()], value, `interaction ${i} header ${name}`);
        }
        const expected = response.events
          ? Buffer.concat(response.events.map(eventToFrame))
          : Buffer.from(response.text ?? JSON.stringify(response.json));
        t.true(res.body.equals(expected), `interaction ${i}: ${res.body.length} bytes served, ${expected.length} recorded`);
        if (response.events) t.is(res.headers['transfer-encoding'], 'chunked');
      }
    } finally {
      await mock.close();
    }
  });
}

test('mock replay › the real envoy and Kong captures come back exactly as AWS sent them', async (t) => {
  requireShared();
  const captures = [
    { cassette: 'envoy-ai-gateway-claude-converse-stream-tool-use', bytes: readFileSync(join(CAPTURES_DIR, 'envoy-ai-gateway/claude-converse-stream-tool-use.bin')) },
    { cassette: 'kong-converse-stream-tool-use', bytes: Buffer.concat([1, 2, 3].map((n) => readFileSync(join(CAPTURES_DIR, `kong/converse-stream-tool-use-chunk-${n}.bin`)))) },
  ];
  for (const capture of captures) {
    const read = await readCassetteFile(join(CASSETTES, 'imported', `${capture.cassette}.json`));
    if (!read.ok) return t.fail(read.errors.join('\n'));
    const mock = await startMock({ cassettes: [read.cassette], verifySigV4: false });
    const { request } = read.cassette.interactions[0]!;
    const res = await rawPost(mock.url, targetOf(request.operation, request.modelId), JSON.stringify(request.body));
    await mock.close();
    t.is(res.headers['content-type'], EVENTSTREAM_CONTENT_TYPE);
    t.true(res.body.equals(capture.bytes), `${capture.cassette}: ${res.body.length} bytes served, capture has ${capture.bytes.length}`);
  }
});
