// `bedrock-conformance mock` as DESIGN.md specifies it: one ready line with the URL, clean exit on SIGTERM.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { sdkClient } from './support/sdk-client.ts';
import { REPO_ROOT } from './shared-paths.ts';

const BIN = join(REPO_ROOT, 'bin/bedrock-conformance.js');

test('mock cli › prints its URL once ready, serves the SDK, logs the request, exits 0 on SIGTERM', async (t) => {
  const child = spawn(process.execPath, [BIN, 'mock', '--port', '0'], { cwd: REPO_ROOT });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d; });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      const found = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
      if (found) resolve(found[0]);
    });
    child.on('exit', () => reject(new Error(`mock exited early: ${stderr}`)));
  });
  const client = sdkClient(url);
  const out = await client.send(new ConverseCommand({
    modelId: 'cohere.command-r-v1:0',
    messages: [{ role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] }],
  }));
  client.destroy();
  t.is(out.stopReason, 'tool_use');
  const code = await new Promise<number | null>((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); });
  t.is(code, 0);
  t.is(stdout.trim().split('\n').length, 1, 'exactly one ready line');
  t.regex(stderr, /converse cohere\.command-r-v1:0 -> 200 seed-cohere-top-song-converse#0 complete \[sigv4 ok\]/);
});

test('mock cli › a bad flag is a usage error with exit 2', (t) => {
  const result = spawnSync(process.execPath, [BIN, 'mock', '--port', 'abc'], { encoding: 'utf8' });
  t.is(result.status, 2);
  t.regex(result.stderr, /--port must be a port number/);
  const unknown = spawnSync(process.execPath, [BIN, 'mock', '--frobnicate'], { encoding: 'utf8' });
  t.is(unknown.status, 2);
  t.regex(unknown.stderr, /Unknown option '--frobnicate'/);
});

test('mock cli › --help reads Usage / Options / Examples', (t) => {
  const result = spawnSync(process.execPath, [BIN, 'mock', '--help'], { encoding: 'utf8' });
  t.is(result.status, 0);
  for (const heading of ['Usage', 'Options', 'Examples']) t.regex(result.stdout, new RegExp(`^${heading}$`, 'm'));
});
