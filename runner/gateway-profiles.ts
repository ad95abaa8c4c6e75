// Real third-party gateways the runner can start and drive itself (`run --profile NAME`): how to
// start each against the mock, which client API it speaks, and which suites apply to it.
import type { RunningMock } from '../mock-bedrock/start-mock.ts';
import type { ChatDriver } from '../suites/chat-driver.ts';
import { CliError } from './cli-error.ts';
import { createOpenAiChatDriver } from './openai-chat-driver.ts';
import { startPortkey } from './portkey-gateway.ts';

/** A profile's gateway once started. */
export interface StartedProfile {
  url: string;
  description: string;
  chat: ChatDriver;
  close(): Promise<void>;
}

export interface GatewayProfile {
  name: string;
  summary: string;
  /** Mock settings the gateway needs to be judged at all (each is reported as a finding). */
  mock: { acceptHostWithoutPort: boolean };
  start(mock: Pick<RunningMock, 'url'>, credentials: { accessKeyId: string; secretAccessKey: string }, region: string): Promise<StartedProfile>;
}

const portkey: GatewayProfile = {
  name: 'portkey',
  summary: "Portkey's open-source gateway (@portkey-ai/gateway): OpenAI chat completions translated to Bedrock Converse",
  // Portkey signs `host` without the port; the sigv4 suite reports that as its own finding.
  mock: { acceptHostWithoutPort: true },
  async start(mock, credentials, region) {
    const started = await startPortkey({ mockUrl: mock.url, credentials, region });
    return {
      url: started.url,
      description: `Portkey gateway ${started.version} (@portkey-ai/gateway), Bedrock provider with the mock as custom host`,
      chat: createOpenAiChatDriver({ baseUrl: started.url, headers: started.headers }),
      close: started.close,
    };
  },
};

/** Every profile, by name. */
export const GATEWAY_PROFILES: Record<string, GatewayProfile> = { portkey };

/** The profile called `name`, or a usage error listing the known ones. */
export function profileNamed(name: string): GatewayProfile {
  const profile = GATEWAY_PROFILES[name];
  if (!profile) throw new CliError(`--profile: unknown profile '${name}'. Profiles: ${Object.keys(GATEWAY_PROFILES).join(', ')}`);
  return profile;
}
