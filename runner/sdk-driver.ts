// The native Bedrock client: the AWS SDK's BedrockRuntimeClient with dummy credentials and retries
// off, pointed at the gateway, observing each call as plain data (events with their arrival times).
import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  type BedrockRuntimeClientConfig,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttp2Handler, NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import type { CallObservation, CallSpec, ClientAuth, ClientDriver, ObservedEvent } from '../suites/client-driver.ts';
import { DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { rawCall } from './raw-call.ts';
import { DEFAULT_CALL_TIMEOUT_MS, type SdkDriverOptions } from './driver-options.ts';

type Body = Record<string, unknown>;

function clientConfig(options: SdkDriverOptions, auth: ClientAuth, agent: Agent): BedrockRuntimeClientConfig {
  const base: BedrockRuntimeClientConfig = {
    endpoint: options.gatewayUrl,
    region: options.region ?? DEFAULT_REGION,
    maxAttempts: 1,
    requestHandler: options.http2 ? new NodeHttp2Handler() : new NodeHttpHandler({ httpAgent: agent }),
  };
  if (auth.kind === 'bearer') return { ...base, token: { token: auth.token }, authSchemePreference: ['httpBearerAuth'] };
  // A fresh credentials object per client: the SDK's memoised provider holds on to (and mutates) it.
  const credentials = { accessKeyId: auth.accessKeyId, secretAccessKey: auth.secretAccessKey, sessionToken: auth.sessionToken };
  return { ...base, credentials, authSchemePreference: ['sigv4'] };
}

/** The event name of an SDK union member: its single defined key. */
function eventOf(member: object, t: number): ObservedEvent {
  const [type, value] = Object.entries(member).find(([, v]) => v !== undefined) ?? ['$unknown', undefined];
  return { t, type, value };
}

function parseBytes(bytes: Uint8Array | undefined): unknown {
  const text = Buffer.from(bytes ?? new Uint8Array()).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function withoutMetadata(output: object): unknown {
  const { $metadata: _, ...rest } = output as Body;
  return rest;
}

/** Runs one command and fills `obs` as things arrive; `live()` turns false once the call timed out. */
async function perform(client: BedrockRuntimeClient, spec: CallSpec, obs: CallObservation, signal: AbortSignal, live: () => boolean): Promise<void> {
  const body = (spec.body ?? {}) as Body;
  const push = (event: ObservedEvent) => { if (live()) obs.events.push(event); };
  switch (spec.operation) {
    case 'converse': {
      const out = await client.send(new ConverseCommand({ ...body, modelId: spec.modelId } as never), { abortSignal: signal });
      obs.status = out.$metadata.httpStatusCode;
      obs.output = withoutMetadata(out);
      return;
    }
    case 'converse-stream': {
      const out = await client.send(new ConverseStreamCommand({ ...body, modelId: spec.modelId } as never), { abortSignal: signal });
      obs.status = out.$metadata.httpStatusCode;
      for await (const member of out.stream ?? []) push(eventOf(member, performance.now()));
      return;
    }
    case 'invoke': {
      const out = await client.send(new InvokeModelCommand({
        modelId: spec.modelId, body: JSON.stringify(spec.body), contentType: 'application/json', accept: 'application/json',
      }), { abortSignal: signal });
      obs.status = out.$metadata.httpStatusCode;
      obs.output = parseBytes(out.body);
      return;
    }
    case 'invoke-with-response-stream': {
      const out = await client.send(new InvokeModelWithResponseStreamCommand({
        modelId: spec.modelId, body: JSON.stringify(spec.body), contentType: 'application/json', accept: 'application/json',
      }), { abortSignal: signal });
      obs.status = out.$metadata.httpStatusCode;
      for await (const member of out.body ?? []) {
        const t = performance.now();
        push(member.chunk ? { t, type: 'chunk', value: parseBytes(member.chunk.bytes) } : eventOf(member, t));
      }
    }
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== 'object') return undefined;
  const entry = Object.entries(headers as Record<string, unknown>).find(([k]) => k.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** What the SDK threw, as data: name, message, HTTP status and `x-amzn-ErrorType` when known. */
function describeError(error: unknown, t: number): NonNullable<CallObservation['error']> {
  const e = (error ?? {}) as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $response?: { headers?: unknown } };
  const described: NonNullable<CallObservation['error']> = { name: e.name ?? 'Error', message: e.message ?? String(error), t };
  if (e.$metadata?.httpStatusCode !== undefined) described.status = e.$metadata.httpStatusCode;
  const errorType = headerOf(e.$response?.headers, 'x-amzn-errortype');
  if (errorType !== undefined) described.errorType = errorType;
  return described;
}

/** Sends one call through a fresh SDK client; never throws, reports a hang as error `Timeout`. */
export async function sdkCall(options: SdkDriverOptions, spec: CallSpec): Promise<CallObservation> {
  const auth: ClientAuth = spec.auth ?? { kind: 'sigv4', ...options.credentials };
  const agent = new Agent({ keepAlive: false });
  const client = new BedrockRuntimeClient(clientConfig(options, auth, agent));
  const controller = new AbortController();
  const timeoutMs = spec.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  const obs: CallObservation = { sentAt: performance.now(), events: [], endedAt: 0 };
  let settled = false;
  let timer: NodeJS.Timeout | undefined;
  const work = perform(client, spec, obs, controller.signal, () => !settled).then(
    () => 'done' as const,
    (error: unknown) => {
      if (!settled) obs.error = describeError(error, performance.now());
      return 'done' as const;
    },
  );
  const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutMs); });
  const outcome = await Promise.race([work, timeout]);
  clearTimeout(timer);
  settled = true;
  if (outcome === 'timeout') {
    const t = performance.now();
    obs.error = { name: 'Timeout', message: `no end of response after ${timeoutMs} ms (${obs.events.length} events received)`, t };
    controller.abort();
  }
  obs.endedAt = performance.now();
  client.destroy();
  agent.destroy();
  return { ...obs, events: [...obs.events] };
}

/** The ClientDriver suites use: SDK calls, and the same calls read raw. */
export function createSdkDriver(options: SdkDriverOptions): ClientDriver {
  return {
    call: (spec) => sdkCall(options, spec),
    raw: (spec) => rawCall(options, spec),
  };
}
