// `bedrock-conformance config`: every key each generated configuration uses is in the documented schema
// transcribed in test/fixtures/config-schemas (source URL and commit in each file), required fields are
// there, the mock's URL, keys, region and model land where the gateway reads them, and the CLI prints it.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, type Document } from 'yaml';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { CliError } from '../runner/cli-error.ts';
import { main, parseConfigArgs } from '../runner/config-command.ts';
import { envoyConfig } from '../runner/config-envoy.ts';
import { KONG_PROXY_URL, KONG_ROUTES, kongConfig } from '../runner/config-kong.ts';
import { LITELLM_PROXY_URL, litellmConfig } from '../runner/config-litellm.ts';
import type { ConfigOptions, GeneratedConfig } from '../runner/config-options.ts';
import { renderConfig } from '../runner/config-render.ts';
import { parseRunArgs } from '../runner/run-args.ts';
import { REPO_ROOT } from './shared-paths.ts';

interface PluginSchema { version: string; paths: string[]; required: string[]; enums: Record<string, string[]> }
interface DeckSchema { top: string[]; service: string[]; route: string[]; format_version: string; required: { service_one_of: string[]; plugin: string[] } }
interface LitellmSchema { commit: string; paths: string[]; required: string[]; bedrock_model_prefixes: string[] }
interface KindSchema { apiVersion: string; paths: string[]; required: string[]; maps: string[]; enums?: Record<string, string[]> }
interface EnvoySchema { kinds: Record<string, KindSchema> }

const FIXTURES = join(REPO_ROOT, 'test', 'fixtures', 'config-schemas');
const fixture = <T>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
const PLUGINS: Record<string, PluginSchema> = { 'ai-proxy': fixture('kong-ai-proxy.json'), 'ai-proxy-advanced': fixture('kong-ai-proxy-advanced.json') };
const DECK = fixture<DeckSchema>('kong-deck.json');
const LITELLM = fixture<LitellmSchema>('litellm-proxy-config.json');
const ENVOY = fixture<EnvoySchema>('envoy-ai-gateway.json');

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every key path in `value`: objects as dotted keys, array elements as `[]`; keys under a map path are not paths. */
function keyPaths(value: unknown, maps: readonly string[] = [], prefix = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => keyPaths(item, maps, `${prefix}[]`));
  if (!isObject(value) || maps.includes(prefix)) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return [path, ...keyPaths(child, maps, path)];
  });
}

/** The values at `path` (`a.b[].c`: every element's c); empty when any step is missing. */
function valuesAt(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const step of path.split('.')) {
    const key = step.replace(/\[\]$/, '');
    const next: unknown[] = [];
    for (const item of current) {
      if (!isObject(item) || !(key in item)) return [];
      const child = item[key];
      if (step.endsWith('[]')) {
        if (!Array.isArray(child) || child.length === 0) return [];
        next.push(...child);
      } else next.push(child);
    }
    current = next;
  }
  return current;
}

function undocumented(value: unknown, documented: readonly string[], maps: readonly string[] = []): string[] {
  return [...new Set(keyPaths(value, maps))].filter((path) => !documented.includes(path));
}

function missing(value: unknown, required: readonly string[]): string[] {
  return required.filter((path) => valuesAt(value, path).length === 0);
}

function badEnums(value: unknown, enums: Record<string, string[]> = {}): string[] {
  return Object.entries(enums).flatMap(([path, allowed]) => valuesAt(value, path).filter((v) => !allowed.includes(String(v))).map((v) => `${path}=${String(v)}`));
}

const options = (argv: string[]): ConfigOptions => parseConfigArgs(argv).options;

/** Each YAML document in `text` with its parse errors (none for an empty stream). */
function yamlDocuments(text: string): { errors: unknown[]; value: unknown }[] {
  const parsed = parseAllDocuments(text);
  if (!Array.isArray(parsed)) return [];
  return parsed.map((document: Document.Parsed) => ({ errors: document.errors, value: document.toJS() as unknown }));
}
const only = (config: GeneratedConfig): Json => config.documents[0] as Json;

interface KongPlugin { name: string; config: Json }
interface KongRoute { name: string; paths: string[]; plugins: KongPlugin[] }
interface KongService { url: string; routes: KongRoute[] }

function kongRoutes(document: Json): KongRoute[] {
  return (document.services as KongService[]).flatMap((service) => service.routes);
}

/** The one LLM target of a Kong AI plugin: the targets list's element, or the plugin config itself. */
function kongTarget(plugin: KongPlugin): Json {
  return plugin.name === 'ai-proxy-advanced' ? (plugin.config.targets as Json[])[0]! : plugin.config;
}

function checkKongDocument(t: import('ava').ExecutionContext, document: Json): void {
  t.deepEqual(Object.keys(document).filter((key) => !DECK.top.includes(key)), [], 'top-level keys');
  t.is(document._format_version, DECK.format_version);
  for (const service of document.services as Json[]) {
    t.deepEqual(Object.keys(service).filter((key) => !DECK.service.includes(key)), [], 'service keys');
    t.true(DECK.required.service_one_of.some((key) => key in service), 'service has url or host');
    for (const route of service.routes as Json[]) {
      t.deepEqual(Object.keys(route).filter((key) => !DECK.route.includes(key)), [], `route ${String(route.name)} keys`);
      for (const plugin of route.plugins as KongPlugin[]) {
        const schema = PLUGINS[plugin.name];
        if (!schema) return t.fail(`plugin ${plugin.name} has no documented schema`);
        t.deepEqual(undocumented(plugin, schema.paths), [], `${plugin.name}: every key path is in the ${schema.version} schema`);
        t.deepEqual(missing(plugin, [...schema.required, ...DECK.required.plugin]), [], `${plugin.name}: required fields`);
        t.deepEqual(badEnums(plugin, schema.enums), [], `${plugin.name}: enum values`);
      }
    }
  }
  t.deepEqual(kongRoutes(document).map((route) => route.plugins[0]!.name).sort(), ['ai-proxy', 'ai-proxy-advanced']);
}

test('config kong › every key of both formats is in the decK and plugin schemas, required fields present', (t) => {
  for (const format of ['bedrock', 'openai']) checkKongDocument(t, only(kongConfig(options(['kong', '--format', format]))));
});

test('config kong › mock URL, keys, region and model land in each target, with the client format', (t) => {
  const chosen = options(['kong', '--mock-url', 'http://host.docker.internal:4011', '--region', 'eu-central-1', '--model', 'us.anthropic.claude-3-5-sonnet-20240620-v1:0']);
  const document = only(kongConfig(chosen));
  t.is((document.services as KongService[])[0]!.url, 'http://host.docker.internal:4011');
  for (const route of kongRoutes(document)) {
    const plugin = route.plugins[0]!;
    const target = kongTarget(plugin);
    t.is(plugin.config.llm_format, 'bedrock');
    t.deepEqual(target.auth, { allow_override: false, aws_access_key_id: DEFAULT_CREDENTIALS.accessKeyId, aws_secret_access_key: DEFAULT_CREDENTIALS.secretAccessKey });
    t.deepEqual(valuesAt(target, 'model.provider'), ['bedrock']);
    t.deepEqual(valuesAt(target, 'model.name'), ['us.anthropic.claude-3-5-sonnet-20240620-v1:0']);
    t.deepEqual(valuesAt(target, 'model.options.bedrock.aws_region'), ['eu-central-1']);
    t.deepEqual(valuesAt(target, 'model.options.upstream_url'), ['http://host.docker.internal:4011/model/$(uri_captures.model)/$(uri_captures.operation)']);
  }
  const openai = only(kongConfig(options(['kong', '--format', 'openai', '--model', 'us.amazon.nova-micro-v1:0'])));
  for (const route of kongRoutes(openai)) {
    t.is(route.plugins[0]!.config.llm_format, 'openai');
    t.deepEqual(valuesAt(kongTarget(route.plugins[0]!), 'model.options.upstream_url'), ['http://127.0.0.1:4010/model/us.amazon.nova-micro-v1%3A0/converse']);
    t.true((Object.values(KONG_ROUTES) as string[]).includes(route.paths[0]!), 'plain prefix for OpenAI clients');
  }
});

test('config kong › the native route matches the paths the SDK sends and feeds every capture upstream_url uses', (t) => {
  const document = only(kongConfig(options(['kong'])));
  for (const route of kongRoutes(document)) {
    const kongPath = route.paths[0]!;
    t.true(kongPath.startsWith('~'), 'a Kong regex path');
    const pattern = new RegExp(kongPath.slice(1));
    const prefix = route.plugins[0]!.name === 'ai-proxy-advanced' ? KONG_ROUTES.advanced : KONG_ROUTES.basic;
    for (const [model, operation] of [['cohere.command-r-v1:0', 'converse-stream'], ['arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123', 'converse']] as const) {
      const match = pattern.exec(`${prefix}/model/${encodeURIComponent(model)}/${operation}`);
      t.is(match?.groups?.model, encodeURIComponent(model));
      t.is(match?.groups?.operation, operation);
    }
    const captures = [...kongPath.matchAll(/\(\?<(\w+)>/g)].map((m) => m[1]);
    const used = [...String(valuesAt(kongTarget(route.plugins[0]!), 'model.options.upstream_url')[0]).matchAll(/\$\(uri_captures\.(\w+)\)/g)].map((m) => m[1]);
    t.deepEqual(used.filter((name) => !captures.includes(name)), [], 'upstream_url only uses captures the route defines');
  }
});

test('config kong › the schema check itself flags an undocumented key and a missing required field', (t) => {
  const plugin = structuredClone(kongRoutes(only(kongConfig(options(['kong']))))[0]!.plugins[0]!);
  const target = (plugin.config.targets as Json[])[0]! as { model: { options: { bedrock: Json } }; route_type?: string };
  target.model.options.bedrock.endpoint_url = 'http://guessed';
  delete target.route_type;
  t.deepEqual(undocumented(plugin, PLUGINS['ai-proxy-advanced']!.paths), ['config.targets[].model.options.bedrock.endpoint_url']);
  t.deepEqual(missing(plugin, PLUGINS['ai-proxy-advanced']!.required), ['config.targets[].route_type']);
});

test('config kong › one model only; the path-capture model needs the native format', (t) => {
  t.throws(() => parseConfigArgs(['kong', '--model', 'a.b-v1:0', '--model', 'c.d-v1:0']), { instanceOf: CliError, message: /kong takes one --model/ });
  t.throws(() => parseConfigArgs(['kong', '--format', 'openai', '--model', '$(uri_captures.model)']), { instanceOf: CliError, message: /needs the native route's path captures/ });
  const open = kongRoutes(only(kongConfig(options(['kong', '--model', '$(uri_captures.model)']))));
  t.deepEqual(open.map((route) => valuesAt(kongTarget(route.plugins[0]!), 'model.name')[0]), ['$(uri_captures.model)', '$(uri_captures.model)']);
});

test('config litellm › every key is a documented LiteLLM param; one deployment per model, pointed at the mock', (t) => {
  const models = ['cohere.command-r-v1:0', 'us.amazon.nova-micro-v1:0'];
  const document = only(litellmConfig(options(['litellm', '--mock-url', 'http://host.docker.internal:4010', '--model', models[0]!, '--model', models[1]!])));
  t.deepEqual(undocumented(document, LITELLM.paths), []);
  t.deepEqual(missing(document, LITELLM.required), []);
  const deployments = document.model_list as { model_name: string; litellm_params: Json }[];
  t.deepEqual(deployments.map((d) => d.model_name), models, 'model_name is the Bedrock id, so /bedrock/model/{id}/... finds it');
  for (const [i, deployment] of deployments.entries()) {
    t.is(deployment.litellm_params.model, `bedrock/converse/${models[i]}`);
    t.true(LITELLM.bedrock_model_prefixes.includes('bedrock/converse/'), 'the converse route is a documented prefix');
    t.is(deployment.litellm_params.aws_bedrock_runtime_endpoint, 'http://host.docker.internal:4010');
    t.is(deployment.litellm_params.aws_access_key_id, DEFAULT_CREDENTIALS.accessKeyId);
    t.is(deployment.litellm_params.aws_secret_access_key, DEFAULT_CREDENTIALS.secretAccessKey);
    t.is(deployment.litellm_params.aws_region_name, DEFAULT_REGION);
  }
  t.throws(() => parseConfigArgs(['litellm', '--format', 'openai']), { instanceOf: CliError, message: /--format applies to kong only/ });
});

test('config envoy › every manifest key is in its kind\'s API type; Backend is the mock, the policy reads the Secret', (t) => {
  const documents = envoyConfig(options(['envoy', '--mock-url', 'http://mock.ci.internal:4010', '--region', 'us-east-1', '--model', 'cohere.command-r-v1:0', '--model', 'us.amazon.nova-lite-v1:0'])).documents;
  const byKind = new Map(documents.map((document) => [String(document.kind), document]));
  t.deepEqual([...byKind.keys()].sort(), Object.keys(ENVOY.kinds).sort());
  for (const [kind, document] of byKind) {
    const schema = ENVOY.kinds[kind]!;
    t.is(document.apiVersion, schema.apiVersion, `${kind} apiVersion`);
    t.deepEqual(undocumented(document, schema.paths, schema.maps), [], `${kind}: every key path is documented`);
    t.deepEqual(missing(document, schema.required), [], `${kind}: required fields`);
    t.deepEqual(badEnums(document, schema.enums), [], `${kind}: enum values`);
  }
  const name = (kind: string) => valuesAt(byKind.get(kind), 'metadata.name')[0];
  t.deepEqual(valuesAt(byKind.get('Backend'), 'spec.endpoints[].fqdn'), [{ hostname: 'mock.ci.internal', port: 4010 }]);
  t.deepEqual(valuesAt(byKind.get('AIServiceBackend'), 'spec.schema.name'), ['AWSBedrock']);
  t.deepEqual(valuesAt(byKind.get('AIServiceBackend'), 'spec.backendRef.name'), [name('Backend')]);
  t.deepEqual(valuesAt(byKind.get('BackendSecurityPolicy'), 'spec.type'), ['AWSCredentials']);
  t.deepEqual(valuesAt(byKind.get('BackendSecurityPolicy'), 'spec.awsCredentials.region'), ['us-east-1']);
  t.deepEqual(valuesAt(byKind.get('BackendSecurityPolicy'), 'spec.awsCredentials.credentialsFile.secretRef.name'), [name('Secret')]);
  t.deepEqual(valuesAt(byKind.get('BackendSecurityPolicy'), 'spec.targetRefs[].name'), [name('AIServiceBackend')]);
  const file = String(valuesAt(byKind.get('Secret'), 'stringData.credentials')[0]);
  t.deepEqual(file.trim().split('\n'), ['[default]', `aws_access_key_id = ${DEFAULT_CREDENTIALS.accessKeyId}`, `aws_secret_access_key = ${DEFAULT_CREDENTIALS.secretAccessKey}`]);
  t.deepEqual(valuesAt(byKind.get('AIGatewayRoute'), 'spec.rules[].matches[].headers[].value'), ['cohere.command-r-v1:0', 'us.amazon.nova-lite-v1:0']);
  t.deepEqual(valuesAt(byKind.get('AIGatewayRoute'), 'spec.rules[].backendRefs[].name'), [name('AIServiceBackend'), name('AIServiceBackend')]);
  const ip = envoyConfig(options(['envoy', '--mock-url', 'http://172.18.0.1:4010'])).documents.find((d) => d.kind === 'Backend');
  t.deepEqual(valuesAt(ip, 'spec.endpoints[].ip'), [{ address: '172.18.0.1', port: 4010 }], 'an address becomes an ip endpoint');
});

test('config render › the YAML parses back to the generated documents under a comment header', (t) => {
  const cases: [string, GeneratedConfig, RegExp][] = [
    ['kong', kongConfig(options(['kong'])), /Kong Gateway 3\.13/],
    ['litellm', litellmConfig(options(['litellm'])), new RegExp(LITELLM.commit.split('@')[1]!.slice(0, 8))],
    ['envoy', envoyConfig(options(['envoy'])), /NOTES-LEVEL/],
  ];
  for (const [target, config, checkedAgainst] of cases) {
    const text = renderConfig(config);
    const parsed = yamlDocuments(text);
    t.deepEqual(parsed.flatMap((document) => document.errors), [], `${target}: YAML errors`);
    t.deepEqual(parsed.map((document) => document.value), config.documents, `${target}: round trip`);
    const headerLines = text.slice(0, text.search(/^[^#]/m)).trimEnd().split('\n');
    t.true(headerLines.every((line) => line.startsWith('#')), `${target}: header is comments only`);
    t.regex(headerLines[0]!, new RegExp(`^# bedrock-conformance config ${target}: `));
    t.regex(headerLines.join('\n'), /Checked against: /);
    t.regex(headerLines.join('\n'), checkedAgainst);
    t.notRegex(text, /&a\d|\*a\d/, `${target}: no YAML anchors or aliases`);
  }
});

test('config › the printed run commands are ones `run` accepts, with the mock port from --mock-url', (t) => {
  const cases: [GeneratedConfig, string[], number][] = [
    [kongConfig(options(['kong', '--mock-url', 'http://127.0.0.1'])), [`${KONG_PROXY_URL}${KONG_ROUTES.advanced}`, `${KONG_PROXY_URL}${KONG_ROUTES.basic}`], 80],
    [litellmConfig(options(['litellm', '--mock-url', 'http://host.docker.internal:4012'])), [`${LITELLM_PROXY_URL}/bedrock`], 4012],
  ];
  for (const [config, gateways, port] of cases) {
    const lines = config.header.map((line) => line.trim()).filter((line) => line.startsWith('bedrock-conformance run '));
    t.is(lines.length, gateways.length);
    for (const [i, line] of lines.entries()) {
      const argv = line.replace(/\s+#.*$/, '').split(/\s+/).slice(2);
      const parsed = parseRunArgs(argv, []);
      t.deepEqual(parsed.options.gateway, { kind: 'external', url: gateways[i] });
      t.is(parsed.options.mockPort, port);
    }
  }
});

test('config › bad --mock-url and other bad flags are usage errors that say what to give', (t) => {
  const cases: [string[], RegExp][] = [
    [['kong', '--mock-url', 'host.docker.internal:4010'], /--mock-url must (be an http:\/\/ URL|use http:\/\/)/],
    [['kong', '--mock-url', 'not a url'], /--mock-url must be an http:\/\/ URL \(for example http:\/\/host\.docker\.internal:4010\), got 'not a url'/],
    [['kong', '--mock-url', 'https://mock:4010'], /--mock-url must use http:\/\/ \(the mock serves cleartext HTTP only\)/],
    [['litellm', '--mock-url', 'http://mock:4010/bedrock'], /origin \(scheme, host, port\) without a path or query/],
    [['envoy', '--mock-url', 'http://user:pw@mock:4010'], /must not carry a user or password/],
    [['kong', '--mock-url', 'http://mock:99999'], /--mock-url must be an http:\/\/ URL/],
    [['kong', '--region', 'Oregon'], /--region must be an AWS region such as us-west-2/],
    [['kong', '--model', 'two words'], /--model must be a Bedrock model id/],
    [['kong', '--format', 'grpc'], /--format must be one of bedrock, openai/],
    [['nginx'], /unknown target 'nginx'\. Targets: kong, litellm, envoy/],
    [[], /config needs a target: kong, litellm, envoy/],
    [['kong', 'envoy'], /config takes one target/],
    [['kong', '--frobnicate'], /Unknown option '--frobnicate'/],
  ];
  for (const [argv, message] of cases) {
    const error = t.throws(() => parseConfigArgs(argv), { instanceOf: CliError }, argv.join(' '));
    t.regex(error?.message ?? '', message, argv.join(' '));
    t.is(error?.exitCode, 2);
  }
});

test('config › --out into a missing folder fails clearly and leaves no temporary file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'config-out-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await t.throwsAsync(main(['kong', '--out', join(dir, 'missing', 'kong.yaml')]), { instanceOf: CliError, message: /--out: cannot write .*kong\.yaml/ });
  t.deepEqual(readdirSync(dir), []);
});

const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const cli = (...args: string[]) => spawnSync(process.execPath, [TSX_CLI, join(REPO_ROOT, 'runner', 'cli.ts'), ...args], { encoding: 'utf8', cwd: REPO_ROOT });

test('config cli › `npx tsx runner/cli.ts config kong --help` reads Usage / Options / Examples', (t) => {
  const result = spawnSync('npx', ['tsx', 'runner/cli.ts', 'config', 'kong', '--help'], { encoding: 'utf8', cwd: REPO_ROOT });
  t.is(result.status, 0, result.stderr);
  for (const heading of ['Usage', 'Options', 'Examples']) t.regex(result.stdout, new RegExp(`^${heading}$`, 'm'));
  t.regex(result.stdout, /bedrock-conformance config <kong\|litellm\|envoy>/);
  t.regex(result.stdout, /--mock-url URL/);
  const usage = cli('--help');
  t.regex(usage.stdout, /^ {2}config {6}kong \| litellm \| envoy/m, 'listed in the command list');
});

test('config cli › prints Kong config for a container\'s mock URL, --out writes the same bytes, a bad URL exits 2', (t) => {
  const printed = cli('config', 'kong', '--mock-url', 'http://host.docker.internal:4010');
  t.is(printed.status, 0, printed.stderr);
  const [document] = yamlDocuments(printed.stdout);
  t.deepEqual(document?.errors, []);
  const routes = kongRoutes(document?.value as Json);
  t.deepEqual(routes.map((route) => valuesAt(kongTarget(route.plugins[0]!), 'model.options.upstream_url')[0]), [
    'http://host.docker.internal:4010/model/$(uri_captures.model)/$(uri_captures.operation)',
    'http://host.docker.internal:4010/model/$(uri_captures.model)/$(uri_captures.operation)',
  ]);
  t.regex(printed.stdout, /^# {3}bedrock-conformance run --gateway http:\/\/127\.0\.0\.1:8000\/advanced --mock-port 4010/m);

  const dir = mkdtempSync(join(tmpdir(), 'config-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const written = cli('config', 'kong', '--mock-url', 'http://host.docker.internal:4010', '--out', join(dir, 'kong.yaml'));
  t.is(written.status, 0, written.stderr);
  t.is(written.stdout, '');
  t.regex(written.stderr, /wrote kong config to .*kong\.yaml/);
  t.is(readFileSync(join(dir, 'kong.yaml'), 'utf8'), printed.stdout);
  t.deepEqual(readdirSync(dir), ['kong.yaml'], 'no temporary file left behind');

  const bad = cli('config', 'kong', '--mock-url', 'https://host.docker.internal:4010');
  t.is(bad.status, 2);
  t.is(bad.stdout, '');
  t.regex(bad.stderr, /^bedrock-conformance: --mock-url must use http:\/\//);
});
