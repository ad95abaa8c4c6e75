// Portkey's open-source gateway (@portkey-ai/gateway), started as a child process on loopback with
// its Bedrock provider pointed at the mock through Portkey's own custom-host header.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error.ts';

/** A started Portkey: its URL, the headers that route a chat call to the mock, and how to stop it. */
export interface StartedPortkey {
  url: string;
  version: string;
  /** Portkey's per-request provider settings: Bedrock, the mock as custom host, the mock's credentials. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

export interface PortkeyOptions {
  mockUrl: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  region: string;
  /** How long Portkey may take to start listening. */
  startTimeoutMs?: number;
}

function locatePortkey(): { script: string; version: string } {
  const require = createRequire(import.meta.url);
  let manifest: string;
  try {
    manifest = require.resolve('@portkey-ai/gateway/package.json');
  } catch {
    throw new CliError("the portkey profile needs the npm package @portkey-ai/gateway; install it with 'npm install @portkey-ai/gateway@1.15.2'");
  }
  const version = (require(manifest) as { version: string }).version;
  return { script: join(dirname(manifest), 'build', 'start-server.js'), version };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves once `url` answers HTTP at all; rejects with Portkey's own output if it exits first. */
async function waitUntilUp(child: ChildProcess, url: string, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  child.once('exit', (code, signal) => { exited = `exited with ${signal ?? `code ${code}`}`; });
  while (Date.now() < deadline) {
    if (exited) throw new CliError(`Portkey ${exited} before it was ready:\n${output()}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new CliError(`Portkey did not answer on ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Starts Portkey on a free loopback port; the caller must close it. */
export async function startPortkey(options: PortkeyOptions): Promise<StartedPortkey> {
  const { script, version } = locatePortkey();
  const port = await freePort();
  // Only what Portkey needs from the environment: no AWS variables, no proxies that could send it off the machine.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_ENV: 'production' };
  const child = spawn(process.execPath, [script, `--port=${port}`, '--headless'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (chunk: Buffer) => { log = (log + chunk.toString('utf8')).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await once(child, 'exit');
    clearTimeout(timer);
  };
  try {
    await waitUntilUp(child, url, () => log.trim(), options.startTimeoutMs ?? 20_000);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    url,
    version,
    headers: {
      'x-portkey-provider': 'bedrock',
      'x-portkey-custom-host': options.mockUrl,
      'x-portkey-aws-region': options.region,
      'x-portkey-aws-access-key-id': options.credentials.accessKeyId,
      'x-portkey-aws-secret-access-key': options.credentials.secretAccessKey,
    },
    close,
  };
}
