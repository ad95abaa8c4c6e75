// What went wrong while recording, in words a user can act on. Every message passes through
// scrub(), so no credential can leak through an error.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { scrub } from './redact.ts';

type Env = Record<string, string | undefined>;

function profileIn(file: string, profile: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return 'file not found';
  }
  const header = new RegExp(`^\\[\\s*(profile\\s+)?${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\]`, 'm');
  return header.test(text) ? 'profile present, no usable credentials' : 'no such profile';
}

/** Names the sources the SDK's default credential chain tried, and how to fix each. */
export function explainNoCredentials(error: unknown, env: Env = process.env): string {
  const profile = env.AWS_PROFILE ?? 'default';
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? join(homedir(), '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE ?? join(homedir(), '.aws', 'config');
  const envKeys = env.AWS_ACCESS_KEY_ID ? 'AWS_ACCESS_KEY_ID is set' : 'AWS_ACCESS_KEY_ID is not set';
  const imds = env.AWS_EC2_METADATA_DISABLED && env.AWS_EC2_METADATA_DISABLED !== 'false'
    ? 'disabled by AWS_EC2_METADATA_DISABLED' : 'no instance metadata answered (not on EC2?)';
  const container = env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI
    ? 'AWS_CONTAINER_CREDENTIALS_* is set but gave no credentials' : 'AWS_CONTAINER_CREDENTIALS_* not set';
  const said = error instanceof Error ? error.message : String(error);
  return scrub([
    'no AWS credentials found. The AWS SDK credential chain tried, in order:',
    `  1. environment variables: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (${envKeys}${env.AWS_PROFILE ? '; skipped because AWS_PROFILE is set' : ''})`,
    `  2. shared files, profile '${profile}'${env.AWS_PROFILE ? ' (from AWS_PROFILE)' : ''}: ` +
      `credentials file ${credentialsFile} (${profileIn(credentialsFile, profile)}), config file ${configFile} (${profileIn(configFile, profile)})`,
    `  3. SSO (IAM Identity Center): sso_session / sso_* settings of profile '${profile}' and the cached login token`,
    `  4. credential_process of profile '${profile}'`,
    `  5. web identity token file: ${env.AWS_WEB_IDENTITY_TOKEN_FILE ? 'AWS_WEB_IDENTITY_TOKEN_FILE is set' : 'AWS_WEB_IDENTITY_TOKEN_FILE not set'}`,
    `  6. ECS container credentials: ${container}`,
    `  7. EC2 instance metadata (IMDS): ${imds}`,
    `The SDK said: ${said}`,
    'Fix: export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary keys),',
    `  or run 'aws configure --profile NAME' / 'aws sso login --profile NAME' and set AWS_PROFILE=NAME,`,
    '  then run bedrock-conformance record again.',
  ].join('\n'));
}

/** Explains a failure to reach the upstream: DNS of a region without Bedrock, refused, reset. */
export function explainUpstreamError(error: unknown, upstream: string, region: string): string {
  const code = (error as { code?: string })?.code ?? '';
  const host = new URL(upstream).host;
  const said = error instanceof Error ? error.message : String(error);
  if (code === 'ENOTFOUND' && host === `bedrock-runtime.${region}.amazonaws.com`) {
    return scrub(`region '${region}' has no Bedrock Runtime endpoint: ${host} does not resolve (${code}). ` +
      'Check the region name and that Bedrock is offered there (for example us-east-1, us-west-2, ' +
      'eu-central-1, ap-northeast-1), then pass it with --region.');
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return scrub(`cannot resolve ${host} (${code}): check the --upstream URL and this machine's network/DNS.`);
  }
  if (code === 'ECONNREFUSED') return scrub(`nothing is listening at ${upstream} (${code}): start it, or fix --upstream.`);
  return scrub(`request to ${upstream} failed: ${said}${code ? ` (${code})` : ''}`);
}

/** Bedrock error types that mean "slow down": retried with backoff. */
export const THROTTLE_ERRORS: readonly string[] = ['ThrottlingException', 'ModelNotReadyException'];

/** Explains an error Bedrock answered with, for one model in one region. */
export function explainBedrockError(type: string, message: string, modelId: string, region: string): string {
  const said = message ? ` AWS said: "${message}"` : '';
  if (type === 'AccessDeniedException') {
    return scrub(`access denied for model '${modelId}' in ${region}.${said} Request model access in the ` +
      `Bedrock console (https://console.aws.amazon.com/bedrock/home?region=${region}#/modelaccess: ` +
      'Bedrock > Model access > Modify model access), and check that your IAM identity may call ' +
      'bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream.');
  }
  if (THROTTLE_ERRORS.includes(type)) {
    return scrub(`still throttled by Bedrock (${type}) after retrying with backoff.${said} Wait a minute and ` +
      'run again with fewer --scenario flags, or ask for a higher quota in Service Quotas.');
  }
  if (['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException'].includes(type)) {
    return scrub(`AWS rejected the credentials (${type}).${said} Refresh them (aws sso login, new keys) and retry.`);
  }
  if (type === 'ResourceNotFoundException' || /model identifier is invalid/i.test(message)) {
    return scrub(`model '${modelId}' is not available in ${region} (${type}).${said} Pick a model the region offers (--model).`);
  }
  return scrub(`${type || 'error'} from Bedrock for model '${modelId}'.${said}`);
}

/** How often and how slowly to retry a throttled scenario. */
export interface BackoffOptions {
  attempts: number;
  baseMs: number;
  sleep?: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

/** A scenario attempt's outcome as far as retrying cares. */
export interface AttemptOutcome {
  ok: boolean;
  throttled?: string;
}

/** Runs `attempt` again with exponential backoff (base, 2×base, 4×base…) while Bedrock throttles it. */
export async function retryThrottled<T extends AttemptOutcome>(label: string, attempt: () => Promise<T>, options: BackoffOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let n = 1; ; n += 1) {
    const outcome = await attempt();
    if (outcome.ok || !outcome.throttled || n >= options.attempts) return outcome;
    const wait = options.baseMs * 2 ** (n - 1);
    options.log(`throttled by Bedrock (${outcome.throttled}) while recording '${label}': ` +
      `retrying in ${wait < 1000 ? `${wait} ms` : `${wait / 1000} s`} (attempt ${n + 1} of ${options.attempts})`);
    await sleep(wait);
  }
}
