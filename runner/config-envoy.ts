// `config envoy`: Envoy AI Gateway manifests (AIGatewayRoute, AIServiceBackend with schema AWSBedrock,
// BackendSecurityPolicy with AWS credentials, the Secret holding them, an Envoy Gateway Backend for the
// mock). Notes-level: written from the API types and examples, never applied to a cluster here.
import { isIP } from 'node:net';
import type { ConfigOptions, GeneratedConfig, MockEndpoint } from './config-options.ts';

/** Names shared by the manifests; the Gateway is the one envoyproxy/ai-gateway's examples/basic/basic.yaml creates. */
export const ENVOY_NAMES = {
  namespace: 'default',
  gateway: 'envoy-ai-gateway-basic',
  route: 'bedrock-conformance',
  backend: 'bedrock-conformance-mock',
  policy: 'bedrock-conformance-mock-credentials',
  secret: 'bedrock-conformance-mock-credentials',
} as const;

/** What the keys were checked against (also printed in the header). */
export const ENVOY_CHECKED_AGAINST = 'envoyproxy/ai-gateway api/v1alpha1 (ai_gateway_route.go, ai_service_backend.go, backendsecurity_policy.go) and examples/basic/aws.yaml; envoyproxy/gateway api/v1alpha1/backend_types.go';

/** Why an Envoy config cannot be made from these options, or undefined when it can. */
export function envoyConfigProblem(options: ConfigOptions): string | undefined {
  const templated = options.models.find((model) => model.includes('$('));
  if (templated) return `--model '${templated}' is Kong templating; Envoy AI Gateway routes on the request's model name (x-ai-eg-model)`;
  return undefined;
}

/** An Envoy Gateway Backend endpoint: `ip` for an address, `fqdn` for a name (the two cannot be mixed). */
function endpoint(mock: MockEndpoint): Record<string, unknown> {
  return isIP(mock.hostname) ? { ip: { address: mock.hostname, port: mock.port } } : { fqdn: { hostname: mock.hostname, port: mock.port } };
}

function metadata(name: string): Record<string, unknown> {
  return { name, namespace: ENVOY_NAMES.namespace };
}

function header(options: ConfigOptions): string[] {
  return [
    'bedrock-conformance config envoy: Envoy AI Gateway manifests (kubectl apply -f)',
    'NOTES-LEVEL: written from the API types and examples; never applied to a cluster by this project.',
    `Bedrock upstream: the bedrock-conformance mock at ${options.mock.origin}, region ${options.region}, model${options.models.length > 1 ? 's' : ''} ${options.models.join(', ')}.`,
    `Checked against: ${ENVOY_CHECKED_AGAINST}.`,
    '',
    'Running the suite:',
    '  Envoy AI Gateway takes OpenAI chat completions (POST /v1/chat/completions; the body\'s model becomes',
    '  x-ai-eg-model) and translates them to Bedrock Converse. `run --gateway` drives Bedrock-native clients, so',
    '  only the OpenAI chat suites apply, and those run through `run --profile` today. By hand:',
    `    curl http://GATEWAY/v1/chat/completions -H 'content-type: application/json' -d '{"model":"${options.models[0]}","messages":[{"role":"user","content":"hi"}]}'`,
    '',
    'Notes:',
    `- Apply examples/basic/basic.yaml from envoyproxy/ai-gateway first: it creates the Gateway '${ENVOY_NAMES.gateway}'.`,
    '- The mock must be reachable from the cluster: in kind, use the docker network gateway address',
    '  (--mock-url http://172.18.0.1:4010 gives an ip endpoint), and a mock listening beyond 127.0.0.1.',
    '- The mock is plain HTTP, so no BackendTLSPolicy (the upstream AWS example has one for port 443).',
    '- Keys: AWS\'s documentation example pair, which the mock expects. Not a real credential.',
  ];
}

/** The manifests, in apply order: Secret, Backend, AIServiceBackend, BackendSecurityPolicy, AIGatewayRoute. */
export function envoyConfig(options: ConfigOptions): GeneratedConfig {
  const problem = envoyConfigProblem(options);
  if (problem) throw new Error(problem);
  const credentialsFile = [
    '[default]',
    `aws_access_key_id = ${options.credentials.accessKeyId}`,
    `aws_secret_access_key = ${options.credentials.secretAccessKey}`,
    '',
  ].join('\n');
  return {
    header: header(options),
    documents: [
      { apiVersion: 'v1', kind: 'Secret', metadata: metadata(ENVOY_NAMES.secret), type: 'Opaque', stringData: { credentials: credentialsFile } },
      { apiVersion: 'gateway.envoyproxy.io/v1alpha1', kind: 'Backend', metadata: metadata(ENVOY_NAMES.backend), spec: { endpoints: [endpoint(options.mock)] } },
      {
        apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
        kind: 'AIServiceBackend',
        metadata: metadata(ENVOY_NAMES.backend),
        spec: { schema: { name: 'AWSBedrock' }, backendRef: { name: ENVOY_NAMES.backend, kind: 'Backend', group: 'gateway.envoyproxy.io' } },
      },
      {
        apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
        kind: 'BackendSecurityPolicy',
        metadata: metadata(ENVOY_NAMES.policy),
        spec: {
          targetRefs: [{ group: 'aigateway.envoyproxy.io', kind: 'AIServiceBackend', name: ENVOY_NAMES.backend }],
          type: 'AWSCredentials',
          awsCredentials: { region: options.region, credentialsFile: { secretRef: { name: ENVOY_NAMES.secret } } },
        },
      },
      {
        apiVersion: 'aigateway.envoyproxy.io/v1alpha1',
        kind: 'AIGatewayRoute',
        metadata: metadata(ENVOY_NAMES.route),
        spec: {
          parentRefs: [{ name: ENVOY_NAMES.gateway, kind: 'Gateway', group: 'gateway.networking.k8s.io' }],
          rules: options.models.map((model) => ({
            matches: [{ headers: [{ type: 'Exact', name: 'x-ai-eg-model', value: model }] }],
            backendRefs: [{ name: ENVOY_NAMES.backend }],
          })),
        },
      },
    ],
  };
}
