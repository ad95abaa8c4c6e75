// The light load client: the request the AWS SDK sends for converse-stream, built and SigV4-signed
// by the runner's raw call, sent over keep-alive node:http, and the event stream decoded as it arrives.
// It does what a streaming client must and little else, so the servers, not the client, set the rates.
import { Agent, request, type IncomingMessage } from 'node:http';
import type { Message } from '@smithy/eventstream-codec';
import { toUtf8 } from '@smithy/util-utf8';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { buildRawRequest } from '../runner/raw-call.ts';
import type { SdkDriverOptions } from '../runner/driver-options.ts';
import type { SigningCredentials } from '../runner/sign-request.ts';
import type { FlowClient, RoundOutcome } from './bench-client.ts';
import { EventStreamReader } from './event-stream-reader.ts';
import type { SeedRound } from './seed-flow.ts';

interface EventJson {
  delta?: { text?: string; toolUse?: { input?: string } };
  start?: { toolUse?: { name: string; toolUseId: string } };
  message?: string;
}

/** An error named as the SDK names it (`InvalidSignatureException`, `ModelStreamErrorException`), so failure reasons read alike. */
function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

const header = (message: Message, name: string) => {
  const value = message.headers[name]?.value;
  return typeof value === 'string' ? value : undefined;
};

/** Text and tool call of one round, assembled event by event as bench-client.ts streamRound does. */
class RoundAssembler {
  private text = '';
  private input = '';
  private tool: { name: string; toolUseId: string } | undefined;

  /** Takes one decoded message; throws the stream's exception or error as the SDK would. */
  add(message: Message): void {
    const kind = header(message, ':message-type');
    const json = JSON.parse(toUtf8(message.body)) as EventJson;
    if (kind === 'exception') {
      const type = header(message, ':exception-type') ?? 'UnknownException';
      throw namedError(type.charAt(0).toUpperCase() + type.slice(1), json.message ?? '');
    }
    if (kind !== 'event') throw namedError(header(message, ':error-code') ?? 'UnknownError', header(message, ':error-message') ?? '');
    const event = header(message, ':event-type');
    if (event === 'contentBlockDelta') {
      this.text += json.delta?.text ?? '';
      this.input += json.delta?.toolUse?.input ?? '';
    } else if (event === 'contentBlockStart' && json.start?.toolUse) {
      this.tool = { name: json.start.toolUse.name, toolUseId: json.start.toolUse.toolUseId };
    }
  }

  outcome(): RoundOutcome {
    const { text, input, tool } = this;
    return tool ? { text, toolUse: { ...tool, input: input === '' ? undefined : JSON.parse(input) } } : { text };
  }
}

/** Reads an error response and fails the round with an error named by its `x-amzn-ErrorType` and its JSON message. */
function errorResponse(res: IncomingMessage, fail: (error: Error) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => {
    const type = String(res.headers['x-amzn-errortype'] ?? `HTTP${res.statusCode}`).split(':')[0]!;
    let message = Buffer.concat(chunks).toString('utf8');
    try {
      message = (JSON.parse(message) as { message?: string }).message ?? message;
    } catch { /* not JSON: keep the text */ }
    fail(namedError(type, message));
  });
}

/** The light client: keep-alive sockets shared by the flows of one lane group. */
export class LightClient implements FlowClient {
  private readonly agent: Agent;
  private readonly url: URL;
  private readonly options: SdkDriverOptions;

  constructor(endpoint: string, maxSockets: number, credentials: SigningCredentials = DEFAULT_CREDENTIALS) {
    this.url = new URL(endpoint);
    this.agent = new Agent({ keepAlive: true, maxSockets });
    this.options = { gatewayUrl: endpoint, credentials: { ...credentials }, region: DEFAULT_REGION };
  }

  /** Sends one round and reads its stream to the end; throws on an error response, a bad frame or a cut stream. */
  async streamRound(round: SeedRound): Promise<RoundOutcome> {
    const built = await buildRawRequest(this.options, { operation: 'converse-stream', modelId: round.modelId, body: round.body }, this.url);
    return new Promise<RoundOutcome>((resolve, reject) => {
      let settled = false;
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        req.destroy();
        reject(error);
      };
      const req = request({
        host: this.url.hostname.replace(/^\[|\]$/g, ''),
        port: this.url.port || 80,
        method: 'POST',
        path: built.path,
        headers: built.headers,
        agent: this.agent,
      }, (res) => {
        if (res.statusCode !== 200) return errorResponse(res, fail);
        const reader = new EventStreamReader();
        const assembler = new RoundAssembler();
        res.on('data', (chunk: Buffer) => {
          try {
            for (const message of reader.push(chunk)) assembler.add(message);
          } catch (error) {
            fail(error as Error);
          }
        });
        res.on('end', () => {
          // The SDK's words for a stream that ends inside a frame, so failure reasons compare.
          if (reader.pending > 0) return fail(namedError('Error', 'Truncated event message received.'));
          if (settled) return;
          settled = true;
          try {
            resolve(assembler.outcome());
          } catch (error) {
            reject(error as Error);
          }
        });
        res.on('error', fail);
        res.on('close', () => { if (!res.complete) fail(namedError('ConnectionClosed', 'the response closed before its end')); });
      });
      req.on('error', fail);
      req.end(built.body);
    });
  }

  destroy(): void {
    this.agent.destroy();
  }
}
