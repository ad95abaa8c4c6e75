// `config kong`: a decK declarative file whose Bedrock upstream is the mock, with one route per
// Kong AI plugin (ai-proxy-advanced with a targets list, and ai-proxy). Every key is from the
// Kong Gateway 3.13 plugin schemas and Kong's services/routes entity schemas (see test/fixtures/config-schemas).
import { runCommand, type ConfigOptions, type GeneratedConfig } from './config-options.ts';

/** Where Kong's proxy listens by default (port 8000) as seen from the host running the suite. */
export const KONG_PROXY_URL = 'http://127.0.0.1:8000';

/** The path prefix of each plugin's route: the `--gateway` URL is the proxy URL plus one of these. */
export const KONG_ROUTES = { advanced: '/advanced', basic: '/basic' } as const;

/** What the keys were checked against (also printed in the header). */
export const KONG_CHECKED_AGAINST = 'Kong Gateway 3.13 plugin schemas (developer.konghq.com app/_schemas/gateway/plugins/3.13/AiProxy.json, AiProxyAdvanced.json); llm_format needs Kong Gateway 3.10+ (kong/kong-gateway image)';

/** Kong's templating (ai-proxy docs, "Templating"): the client's model and operation from the route's path captures. */
const CAPTURED_MODEL = '$(uri_captures.model)';
const CAPTURED_OPERATION = '$(uri_captures.operation)';

function isTemplated(model: string): boolean {
  return model.includes('$(');
}

/** The route path: native Bedrock paths are captured so the upstream URL keeps model and operation. */
function routePath(prefix: string, options: ConfigOptions): string {
  return options.format === 'bedrock' ? `~${prefix}/model/(?<model>[^/]+)/(?<operation>[^/]+)$` : prefix;
}

/**
 * `model.options.upstream_url` overrides the whole URL, path included (Kong's bedrock driver), so the
 * native route rebuilds `/model/{id}/{operation}` from the captures; OpenAI format has no operation in
 * the path and gets the Converse URL of the configured model.
 */
function upstreamUrl(options: ConfigOptions, model: string): string {
  if (options.format === 'bedrock') return `${options.mock.origin}/model/${CAPTURED_MODEL}/${CAPTURED_OPERATION}`;
  return `${options.mock.origin}/model/${encodeURIComponent(model)}/converse`;
}

/** One LLM target: auth with the mock's keys, provider bedrock, the mock as upstream, the region. */
function bedrockTarget(options: ConfigOptions, model: string): Record<string, unknown> {
  return {
    route_type: 'llm/v1/chat',
    auth: {
      allow_override: false,
      aws_access_key_id: options.credentials.accessKeyId,
      aws_secret_access_key: options.credentials.secretAccessKey,
    },
    model: {
      provider: 'bedrock',
      name: model,
      options: {
        upstream_url: upstreamUrl(options, model),
        bedrock: { aws_region: options.region },
      },
    },
  };
}

/** Why a Kong config cannot be made from these options, or undefined when it can. */
export function kongConfigProblem(options: ConfigOptions): string | undefined {
  if (options.models.length !== 1) return `kong takes one --model (got ${options.models.length}); pass --model '${CAPTURED_MODEL}' to let every model the client names through`;
  if (options.format === 'openai' && isTemplated(options.models[0]!)) return `--model '${CAPTURED_MODEL}' needs the native route's path captures; use it with --format bedrock`;
  return undefined;
}

function header(options: ConfigOptions): string[] {
  const model = options.models[0]!;
  const native = options.format === 'bedrock';
  const gateway = (prefix: string) => `${KONG_PROXY_URL}${prefix}`;
  // Kong signs `host` without the port: on any port but 80 the mock must accept that (and report it).
  const signing = { acceptHostWithoutPort: options.mock.port !== 80 };
  return [
    `bedrock-conformance config kong: decK declarative config (Kong DB-less KONG_DECLARATIVE_CONFIG, or deck gateway sync)`,
    `Bedrock upstream: the bedrock-conformance mock at ${options.mock.origin}, region ${options.region}, model ${model}.`,
    `Client format: ${native ? 'llm_format bedrock (native Bedrock API; Kong re-signs with the keys below)' : 'llm_format openai (OpenAI chat completions, route_type llm/v1/chat, translated to Bedrock Converse)'}.`,
    `Checked against: ${KONG_CHECKED_AGAINST}.`,
    '',
    'Run the suite against it (Kong proxy on 8000):',
    ...(native
      ? [`  ${runCommand(gateway(KONG_ROUTES.advanced), options.mock, signing)}   # ai-proxy-advanced`, `  ${runCommand(gateway(KONG_ROUTES.basic), options.mock, signing)}   # ai-proxy`]
      : [
        `  OpenAI clients POST ${gateway(KONG_ROUTES.advanced)}/v1/chat/completions (ai-proxy-advanced) or ${gateway(KONG_ROUTES.basic)}/v1/chat/completions (ai-proxy).`,
        '  `run --gateway` drives Bedrock-native clients; the OpenAI chat suites run only through `run --profile` today.',
      ]),
    '',
    'Notes:',
    `- upstream_url replaces Kong's whole Bedrock URL, path included; ${native ? 'the route captures /model/{model}/{operation} so converse and converse-stream both reach the mock.' : 'this format always calls /converse on the mock (streaming is Kong\'s to translate).'}`,
    ...(native && !isTemplated(model) ? [`- model.name is ${model}; requests for other models may be refused. --model '${CAPTURED_MODEL}' lets every model through.`] : []),
    ...(options.mock.port === 80
      ? ['- Kong signs the host header without its port (WIRE.md); the mock is on port 80, where that matches.']
      : [
        `- Kong signs the host header without its port (WIRE.md), which a mock on port ${options.mock.port} would reject;`,
        '  --accept-host-without-port lets run judge everything else and report it as the sigv4/host-with-port finding.',
      ]),
    '- ai-proxy-advanced (and llm_format) need the kong/kong-gateway image; without a license (KONG_LICENSE_DATA) Kong',
    '  may refuse the ai-proxy-advanced route.',
    '- Keys: AWS\'s documentation example pair, which the mock expects. Not a real credential.',
  ];
}

/** The decK document: one service pointing at the mock, two routes, one AI plugin each. */
export function kongConfig(options: ConfigOptions): GeneratedConfig {
  const problem = kongConfigProblem(options);
  if (problem) throw new Error(problem);
  const model = options.models[0]!;
  const target = bedrockTarget(options, model);
  const route = (name: string, prefix: string, plugin: Record<string, unknown>) => ({
    name,
    paths: [routePath(prefix, options)],
    methods: ['POST'],
    plugins: [plugin],
  });
  return {
    header: header(options),
    documents: [{
      _format_version: '3.0',
      services: [{
        name: 'bedrock-conformance-mock',
        // The AI plugins set the upstream themselves; the service URL names the mock for readers.
        url: options.mock.origin,
        routes: [
          route('bedrock-conformance-advanced', KONG_ROUTES.advanced, { name: 'ai-proxy-advanced', config: { llm_format: options.format, targets: [target] } }),
          route('bedrock-conformance-basic', KONG_ROUTES.basic, { name: 'ai-proxy', config: { llm_format: options.format, ...target } }),
        ],
      }],
    }],
  };
}
