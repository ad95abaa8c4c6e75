// Benchmark child: the floor. A bare node:http server writing the seed flow's precomputed frames,
// one write per frame like the mock, with the same response headers; the body picks the round.
import { createServer, type IncomingMessage } from 'node:http';
import { reportReady } from './child-report.ts';
import { loadSeedFlow } from './seed-flow.ts';

const [first, second] = await loadSeedFlow();
const responses = [first!, second!].map((round) => ({ ...round, frames: round.frames.map((f) => Buffer.from(f)) }));

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const server = createServer({ keepAliveTimeout: 65_000 }, async (req, res) => {
  const body = await readBody(req);
  const round = responses[body.includes('"toolResult"') ? 1 : 0]!;
  res.statusCode = round.status;
  for (const [name, value] of round.headers) res.setHeader(name, value);
  for (const frame of round.frames) res.write(frame);
  res.end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
const port = typeof address === 'object' && address ? address.port : 0;
reportReady(`http://127.0.0.1:${port}`, () => new Promise((resolve) => {
  server.close(() => resolve());
  server.closeAllConnections();
}));
