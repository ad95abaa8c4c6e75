// Test fixtures for the recorder: the seed's top_song flow as a cassette, a tiny upstream, a
// SigV4-signed raw POST (exact bytes from a mock), a signature check, and the CLI as a child.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { listenOnLoopback } from './support/loopback-server.ts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Cassette, CassetteEvent, CassetteInteraction } from '../mock-bedrock/cassette.ts';
import { eventToFrame } from '../mock-bedrock/event-codec.ts';
import { EVENTSTREAM_CONTENT_TYPE, PADDING_ALPHABET } from '../mock-bedrock/wire-constants.ts';
import { TOP_SONG_TOOL } from '../runner/record-scenarios.ts';

const PROMPT = 'What is the most popular song on WZPZ?';
const p = (n: number) => PADDING_ALPHABET.slice(0, n);

/** One ConverseStream event with the wire's header order. */
export function streamEvent(type: string, json: Record<string, unknown>, at: number): CassetteEvent {
  return { at, headers: { ':event-type': type, ':content-type': 'application/json', ':message-type': 'event' }, json };
}

const ROUND_ONE_TEXT = 'I will search for the most popular song on WZPZ and relay this information to the user.';
const FINAL_TEXT = ['The most popular song on WZPZ is ', 'Elemental Hotel by 8 Storey Hike.'];

function roundOneEvents(toolUseId: string): CassetteEvent[] {
  return [
    streamEvent('messageStart', { p: p(12), role: 'assistant' }, 0),
    streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: ROUND_ONE_TEXT }, p: p(20) }, 5),
    streamEvent('contentBlockStop', { contentBlockIndex: 0, p: p(33) }, 9),
    streamEvent('contentBlockStart', { contentBlockIndex: 1, p: p(41), start: { toolUse: { name: 'top_song', toolUseId } } }, 12),
    streamEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '' } }, p: p(7) }, 14),
    streamEvent('contentBlockDelta', { contentBlockIndex: 1, delta: { toolUse: { input: '{"sign": "WZPZ"}' } }, p: p(3) }, 20),
    streamEvent('contentBlockStop', { contentBlockIndex: 1, p: p(45) }, 22),
    streamEvent('messageStop', { p: p(4), stopReason: 'tool_use' }, 23),
    streamEvent('metadata', { metrics: { latencyMs: 812 }, p: p(7), usage: { inputTokens: 371, outputTokens: 41, totalTokens: 412 } }, 24),
  ];
}

function roundTwoEvents(): CassetteEvent[] {
  return [
    streamEvent('messageStart', { p: p(30), role: 'assistant' }, 0),
    streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: FINAL_TEXT[0] }, p: p(14) }, 4),
    streamEvent('contentBlockDelta', { contentBlockIndex: 0, delta: { text: FINAL_TEXT[1] }, p: p(2) }, 9),
    streamEvent('contentBlockStop', { contentBlockIndex: 0, p: p(42) }, 10),
    streamEvent('messageStop', { p: p(26), stopReason: 'end_turn' }, 11),
    streamEvent('metadata', { metrics: { latencyMs: 530 }, p: p(50), usage: { inputTokens: 433, outputTokens: 17, totalTokens: 450 } }, 12),
  ];
}

/** The seed's two-round top_song flow as the mock would serve it, for `operation` and `modelId`. */
export function topSongCassette(id: string, operation: 'converse' | 'converse-stream', modelId: string): Cassette {
  const toolUseId = 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q';
  const toolConfig = { tools: [TOP_SONG_TOOL] };
  const user = { role: 'user', content: [{ text: PROMPT }] };
  const assistant = { role: 'assistant', content: [{ text: ROUND_ONE_TEXT }, { toolUse: { toolUseId, name: 'top_song', input: { sign: 'WZPZ' } } }] };
  const result = { role: 'user', content: [{ toolResult: { toolUseId, content: [{ json: { song: 'Elemental Hotel', artist: '8 Storey Hike' } }] } }] };
  const headers = (type: string): [string, string][] => [['Content-Type', type], ['x-amzn-RequestId', 'a4b5e0c2-8d1f-4c3e-9a6b-2f7d8e9c0b1a']];
  const stream = operation === 'converse-stream';
  const round = (messages: unknown[], events: CassetteEvent[], json: unknown): CassetteInteraction => ({
    request: { operation, modelId, body: { messages, toolConfig } },
    response: stream
      ? { status: 200, headers: headers(EVENTSTREAM_CONTENT_TYPE), events }
      : { status: 200, headers: headers('application/json'), json },
  });
  return {
    version: 1,
    id,
    description: `Seed top_song flow (${operation}), written for the recorder tests`,
    source: { origin: 'synthetic', from: 'test/recorder-fixtures.ts' },
    interactions: [
      round([user], roundOneEvents(toolUseId), {
        metrics: { latencyMs: 812 },
        output: { message: assistant },
        stopReason: 'tool_use',
        usage: { inputTokens: 371, outputTokens: 41, totalTokens: 412 },
      }),
      round([user, assistant, result], roundTwoEvents(), {
        metrics: { latencyMs: 530 },
        output: { message: { role: 'assistant', content: [{ text: FINAL_TEXT.join('') }] } },
        stopReason: 'end_turn',
        usage: { inputTokens: 433, outputTokens: 17, totalTokens: 450 },
      }),
    ],
  };
}

/** A throwaway upstream on 127.0.0.1 whose behaviour each test writes. */
export async function startUpstream(handler: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void | Promise<void>) {
  const server = http.createServer({ noDelay: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => void handler(req, Buffer.concat(chunks), res));
  });
  return listenOnLoopback(server);
}

/** POSTs a SigV4-signed Bedrock request and returns the raw response bytes (no SDK in between). */
export async function signedPost(base: string, operation: string, modelId: string, body: unknown,
  credentials: { accessKeyId: string; secretAccessKey: string }, region = 'us-west-2'): Promise<{ status: number; bytes: Buffer }> {
  const url = new URL(base);
  const payload = Buffer.from(JSON.stringify(body));
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256, uriEscapePath: true });
  const signed = await signer.sign(new HttpRequest({
    method: 'POST', protocol: 'http:', hostname: url.hostname, port: Number(url.port),
    path: `/model/${encodeURIComponent(modelId)}/${operation}`,
    headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(payload.length) }, body: payload,
  }));
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, method: 'POST', path: signed.path, headers: signed.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Whether `req` carries a valid SigV4 signature for `credentials`, recomputed with the AWS signer. */
export async function signatureMatches(req: http.IncomingMessage, body: Buffer,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region = 'us-west-2'): Promise<boolean> {
  const authorization = String(req.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+),/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(req.headers[name]);
  const d = String(req.headers['x-amz-date']);
  const signingDate = new Date(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(9, 11)}:${d.slice(11, 13)}:${d.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: 'bedrock', region, credentials, sha256: Sha256, uriEscapePath: true });
  const again = await signer.sign(new HttpRequest({
    method: req.method ?? 'POST', protocol: 'http:', hostname: '127.0.0.1', path: (req.url ?? '/').split('?')[0], headers, body,
  }), { signingDate });
  return again.headers.authorization === authorization;
}

/** Writes a cassette response as Bedrock would: frame by frame for streams. */
export function writeCassetteResponse(res: http.ServerResponse, response: CassetteInteraction['response']): void {
  res.writeHead(response.status, response.headers.flat());
  if (response.events) {
    for (const event of response.events) res.write(eventToFrame(event));
    res.end();
  } else {
    res.end(response.json !== undefined ? JSON.stringify(response.json) : response.text ?? '');
  }
}

/** A Bedrock error response, as AWS sends it. */
export function bedrockError(type: string, status: number, message: string): CassetteInteraction['response'] {
  return {
    status,
    headers: [['Content-Type', 'application/json'], ['x-amzn-ErrorType', `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`]],
    json: { message },
  };
}

const CLI = fileURLToPath(new URL('../runner/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A clean environment for a CLI child: no inherited AWS settings, IMDS off, empty shared files in `dir`. */
export async function childEnv(dir: string, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const empty = path.join(dir, 'empty-aws-file');
  await writeFile(empty, '');
  return {
    PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: empty, AWS_CONFIG_FILE: empty, ...extra,
  };
}

/** Starts `bedrock-conformance ARGS` as a child process (tsx), from the repository root. */
export function spawnCli(args: string[], env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI to the end and collects its exit code and output. */
export function runCli(args: string[], env: Record<string, string>, nodeArgs: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnCli(args, env, nodeArgs);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk; });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
