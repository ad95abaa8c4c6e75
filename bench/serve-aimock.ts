// Benchmark child: @copilotkit/aimock serving the seed flow's text and tool call as a Bedrock
// ConverseStream, with chunk sizes chosen so each round has about as many frames as the cassette.
import { LLMock } from '@copilotkit/aimock';
import { reportReady } from './child-report.ts';
import { loadSeedFlow } from './seed-flow.ts';

/** Chunk size that cuts `text` into `deltas` pieces, as the cassette's text deltas do. */
const chunkFor = (text: string, deltas: number) => Math.ceil(text.length / deltas);

const [first, second] = await loadSeedFlow();
const tool = first!.expected.toolUse!;
const mock = new LLMock({ host: '127.0.0.1', port: 0, logLevel: 'silent' });
// Round 2 first: both requests carry round 1's user message, only round 2 carries a tool result.
mock.on({ hasToolResult: true }, { content: second!.expected.text }, { chunkSize: chunkFor(second!.expected.text, 5) });
mock.on(
  { userMessage: 'most popular song', hasToolResult: false },
  { content: first!.expected.text, toolCalls: [{ name: tool.name, id: tool.toolUseId, arguments: JSON.stringify(tool.input) }] },
  { chunkSize: chunkFor(first!.expected.text, 4) },
);
await mock.start();
reportReady(mock.url, () => mock.stop());
