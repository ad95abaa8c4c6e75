// What `bedrock-conformance config` needs to know about the mock and the model, parsed at the
// boundary: flag strings in, typed values or a reason out (the command turns reasons into usage errors).
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { EXTERNAL_MOCK_PORT } from './run-args.ts';

/** The gateways `config` writes configuration for. */
export const CONFIG_TARGETS = ['kong', 'litellm', 'envoy'] as const;
export type ConfigTarget = (typeof CONFIG_TARGETS)[number];

/** The API the client speaks to the gateway: Bedrock's own (the gateway re-signs) or OpenAI chat. */
export const CLIENT_FORMATS = ['bedrock', 'openai'] as const;
export type ClientFormat = (typeof CLIENT_FORMATS)[number];

/** The seed how-to's model: the one every shipped flow starts with. */
export const DEFAULT_CONFIG_MODEL = 'cohere.command-r-v1:0';

/** Where the mock listens when `run --gateway` starts it for a user's own gateway. */
export const DEFAULT_MOCK_URL = `http://127.0.0.1:${EXTERNAL_MOCK_PORT}`;

/** The mock as a gateway must reach it: origin for URLs, host and port for manifests. */
export interface MockEndpoint {
  /** `http://host[:port]`, no trailing slash (the port is left out when it is 80). */
  origin: string;
  hostname: string;
  port: number;
}

/** Everything a generator needs; credentials are the mock's (AWS's documentation example pair). */
export interface ConfigOptions {
  mock: MockEndpoint;
  models: string[];
  region: string;
  format: ClientFormat;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** A generated configuration: comment lines for the header, then one YAML document per entry. */
export interface GeneratedConfig {
  header: string[];
  documents: Record<string, unknown>[];
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses `--mock-url`: an http:// origin (the mock speaks cleartext only), no path, query or user. */
export function parseMockUrl(value: string): Parsed<MockEndpoint> {
  const example = 'for example http://host.docker.internal:4010';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, reason: `--mock-url must be an http:// URL (${example}), got '${value}'` };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: `--mock-url must use http:// (the mock serves cleartext HTTP only), got '${value}'` };
  if (url.username || url.password) return { ok: false, reason: `--mock-url must not carry a user or password, got '${value}'` };
  if (url.pathname !== '/' || url.search || url.hash) {
    return { ok: false, reason: `--mock-url is the mock's origin (scheme, host, port) without a path or query (${example}), got '${value}'` };
  }
  const port = url.port === '' ? 80 : Number(url.port);
  return { ok: true, value: { origin: url.origin, hostname: url.hostname.replace(/^\[|\]$/g, ''), port } };
}

/** Parses `--model`: a Bedrock model id, inference profile or ARN; no spaces or control characters. */
export function parseModel(value: string): Parsed<string> {
  if (value.length === 0 || /[\s\u0000-\u001f\u007f]/.test(value)) return { ok: false, reason: `--model must be a Bedrock model id such as ${DEFAULT_CONFIG_MODEL}, got '${value}'` };
  return { ok: true, value };
}

/** Parses `--region`: an AWS region name such as us-west-2 or us-gov-west-1. */
export function parseRegion(value: string): Parsed<string> {
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(value)) return { ok: false, reason: `--region must be an AWS region such as ${DEFAULT_REGION}, got '${value}'` };
  return { ok: true, value };
}

/** The options with the mock's defaults: loopback on the external mock port, seed model, us-west-2. */
export function defaultConfigOptions(): ConfigOptions {
  const mock = parseMockUrl(DEFAULT_MOCK_URL);
  if (!mock.ok) throw new Error(mock.reason);
  return { mock: mock.value, models: [DEFAULT_CONFIG_MODEL], region: DEFAULT_REGION, format: 'bedrock', credentials: { ...DEFAULT_CREDENTIALS } };
}

/**
 * The `run` line that drives a gateway at `gatewayUrl` against a mock on the configured port. A mock
 * the gateway reaches by a non-loopback name (a container's view of the host) must bind every address.
 */
export function runCommand(gatewayUrl: string, mock: MockEndpoint, flags: { acceptHostWithoutPort?: boolean } = {}): string {
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(mock.hostname);
  return [
    `bedrock-conformance run --gateway ${gatewayUrl} --mock-port ${mock.port}`,
    ...(loopback ? [] : ['--mock-host 0.0.0.0']),
    ...(flags.acceptHostWithoutPort ? ['--accept-host-without-port'] : []),
  ].join(' ');
}
