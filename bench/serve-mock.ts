// Benchmark child: the mock as users run it (shipped cassettes, SigV4 verified), on a free loopback port.
import { startMock } from '../mock-bedrock/start-mock.ts';
import { reportReady } from './child-report.ts';
import { CASSETTES_DIR } from './seed-flow.ts';

const mock = await startMock({ cassettesDir: CASSETTES_DIR, host: '127.0.0.1', port: 0 });
for (const problem of mock.problems) process.stderr.write(`cassette problem: ${problem}\n`);
reportReady(mock.url, () => mock.close());
