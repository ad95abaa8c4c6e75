// Drives one record scenario against an endpoint (the recording proxy) the way a real client
// does: the AWS SDK with dummy credentials over HTTP/1.1, one attempt, no SDK retries.
import http from 'node:http';
import {
  BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand,
  type ContentBlock, type Message, type ToolConfiguration,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { TOP_SONG_ANSWERS, TOP_SONG_TOOL, type ConversationScenario, type RecordScenario, type RequestsScenario } from './record-scenarios.ts';

/** How a scenario went, from the client's side. `errorType` is Bedrock's error name when it sent one. */
export type DriveOutcome = { ok: true } | { ok: false; errorType: string; message: string };

type Round = { stopReason: string; message: Message };

async function streamRound(client: BedrockRuntimeClient, scenario: ConversationScenario, messages: Message[], toolConfig: ToolConfiguration): Promise<Round> {
  const out = await client.send(new ConverseStreamCommand({ modelId: scenario.modelId, messages, toolConfig }));
  const content: ContentBlock[] = [];
  let text = '';
  let tool: { toolUseId: string; name: string; input: string } | undefined;
  let stopReason = '';
  for await (const event of out.stream ?? []) {
    if (event.contentBlockStart?.start?.toolUse) {
      const { toolUseId = '', name = '' } = event.contentBlockStart.start.toolUse;
      tool = { toolUseId, name, input: '' };
    } else if (event.contentBlockDelta?.delta) {
      const delta = event.contentBlockDelta.delta;
      if (delta.toolUse && tool) tool.input += delta.toolUse.input ?? '';
      else if (delta.text !== undefined) text += delta.text;
    } else if (event.contentBlockStop) {
      if (tool) content.push({ toolUse: { toolUseId: tool.toolUseId, name: tool.name, input: JSON.parse(tool.input || '{}') } });
      else content.push({ text });
      tool = undefined;
      text = '';
    } else if (event.messageStop) {
      stopReason = event.messageStop.stopReason ?? '';
    }
  }
  return { stopReason, message: { role: 'assistant', content } };
}

async function converseRound(client: BedrockRuntimeClient, scenario: ConversationScenario, messages: Message[], toolConfig: ToolConfiguration): Promise<Round> {
  const out = await client.send(new ConverseCommand({ modelId: scenario.modelId, messages, toolConfig }));
  return { stopReason: out.stopReason ?? '', message: out.output?.message ?? { role: 'assistant', content: [] } };
}

/** The user turn answering every tool call in `message`, as the seed's client builds it. */
export function toolResults(message: Message): ContentBlock[] {
  return (message.content ?? []).flatMap((block): ContentBlock[] => {
    if (!block.toolUse) return [];
    const { toolUseId, input } = block.toolUse;
    const sign = String((input as { sign?: unknown } | undefined)?.sign ?? '');
    const answer = TOP_SONG_ANSWERS[sign];
    return [{
      toolResult: answer
        ? { toolUseId, content: [{ json: { ...answer } }] }
        : { toolUseId, content: [{ text: `Station ${sign} not found.` }], status: 'error' },
    }];
  });
}

async function driveConversation(scenario: ConversationScenario, endpoint: string, region: string): Promise<DriveOutcome> {
  const client = new BedrockRuntimeClient({
    region, endpoint, maxAttempts: 1, requestHandler: new NodeHttpHandler(),
    credentials: { accessKeyId: 'dummy', secretAccessKey: 'dummy' },
  });
  const toolConfig = { tools: scenario.tools.map(() => TOP_SONG_TOOL) } as unknown as ToolConfiguration;
  const messages: Message[] = [{ role: 'user', content: [{ text: scenario.prompt }] }];
  const round = scenario.operation === 'converse-stream' ? streamRound : converseRound;
  try {
    for (let n = 1; n <= scenario.rounds; n += 1) {
      const { stopReason, message } = await round(client, scenario, messages, toolConfig);
      messages.push(message);
      if (n === scenario.rounds) break;
      if (stopReason !== 'tool_use') {
        return { ok: false, errorType: 'FlowMismatch', message: `round ${n} ended with stopReason '${stopReason}', not tool_use: the model answered without calling the tool` };
      }
      messages.push({ role: 'user', content: toolResults(message) });
    }
    return { ok: true };
  } catch (error) {
    const e = error as Error;
    return { ok: false, errorType: e.name, message: e.message };
  } finally {
    client.destroy();
  }
}

function post(url: string, body: string): Promise<{ status: number; errorType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        errorType: String(res.headers['x-amzn-errortype'] ?? '').split(':')[0] ?? '',
        text: Buffer.concat(chunks).toString('utf8'),
      }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function driveRequests(scenario: RequestsScenario, endpoint: string): Promise<DriveOutcome> {
  for (const { request, expectStatus } of scenario.requests) {
    const url = `${endpoint}/model/${encodeURIComponent(request.modelId)}/${request.operation}`;
    const got = await post(url, JSON.stringify(request.body)).catch((error: Error) => ({ status: 0, errorType: error.name, text: error.message }));
    if (got.status !== expectStatus) {
      let message = got.text;
      try { message = String(JSON.parse(got.text).message ?? got.text); } catch { /* not JSON: keep the text */ }
      return { ok: false, errorType: got.errorType || `HTTP ${got.status}`, message: `expected HTTP ${expectStatus}, got ${got.status}: ${message}` };
    }
  }
  return { ok: true };
}

/** Runs a scenario against `endpoint` (plain HTTP, e.g. the recording proxy). */
export function driveScenario(scenario: RecordScenario, endpoint: string, region: string): Promise<DriveOutcome> {
  return scenario.kind === 'conversation' ? driveConversation(scenario, endpoint, region) : driveRequests(scenario, endpoint);
}
