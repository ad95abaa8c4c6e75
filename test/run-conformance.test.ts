import test from 'ava';
import { connect, createServer } from 'node:net';
import type { CheckResult } from '../reports/results.ts';
import { CliError } from '../runner/cli-error.ts';
import { PACKAGE_CASSETTES_DIR } from '../runner/run-args.ts';
import { runConformance, type RunOptions } from '../runner/run-conformance.ts';
import type { Suite } from '../suites/suite.ts';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

function options(suites: Suite[], gateway: RunOptions['gateway'] = { kind: 'builtin', flaws: [] }, mockPort = 0): RunOptions {
  return { gateway, mockPort, suites, seed: 1, runs: 1, http2: false, cassettesDir: PACKAGE_CASSETTES_DIR };
}

function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const check = (suite: string, id: string, status: CheckResult['status']): CheckResult => ({ id: `${suite}/${id}`, suite, status, message: id });

test('run conformance › a suite that throws becomes one failing check, and later suites still run', async (t) => {
  const seenUrls: string[] = [];
  const crashing: Suite = {
    id: 'crashing', title: 'Crashes after one check',
    async run(ctx) {
      seenUrls.push(ctx.gatewayUrl, ctx.mock.url);
      ctx.report(check('crashing', 'first', 'pass'));
      throw new Error('boom');
    },
  };
  const fine: Suite = { id: 'fine', title: 'Fine', run: async () => [check('fine', 'a', 'pass'), check('fine', 'b', 'skip')] };
  const heard: string[] = [];
  const results = await runConformance(options([crashing, fine]), {
    suiteStart: (suite, index, total) => heard.push(`start ${suite.id} ${index + 1}/${total}`),
    check: (c) => heard.push(`check ${c.id} ${c.status}`),
    suiteEnd: (suite, checks) => heard.push(`end ${suite.id} ${checks.length}`),
  });
  t.deepEqual(heard, [
    'start crashing 1/2', 'check crashing/first pass', 'check crashing/harness-error fail', 'end crashing 2',
    'start fine 2/2', 'check fine/a pass', 'check fine/b skip', 'end fine 2',
  ]);
  const crash = results.checks.find((c) => c.id === 'crashing/harness-error')!;
  t.regex(crash.message, /the suite itself crashed .*: boom/);
  t.deepEqual(results.summary, { pass: 2, fail: 1, skip: 1 });
  t.is(results.gateway.kind, 'reference');
  t.is(results.seed, 1);
  t.true(await refused(seenUrls[0]!), 'gateway closed');
  t.true(await refused(seenUrls[1]!), 'mock closed');
});

test('run conformance › a gateway that is down throws a CliError and the mock is closed again', async (t) => {
  const [gatewayPort, mockPort] = [await freePort(), await freePort()];
  const error = await t.throwsAsync(runConformance(options([], { kind: 'external', url: `http://127.0.0.1:${gatewayPort}` }, mockPort)));
  t.true(error instanceof CliError);
  t.regex(error!.message, /not accepting connections/);
  t.true(await refused(`http://127.0.0.1:${mockPort}`));
});

test('run conformance › an empty cassette directory is a setup error', async (t) => {
  const error = await t.throwsAsync(runConformance({ ...options([]), cassettesDir: '/nonexistent-cassettes' }));
  t.true(error instanceof CliError);
  t.regex(error!.message, /no usable cassettes in \/nonexistent-cassettes/);
});
