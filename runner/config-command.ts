// `bedrock-conformance config <kong|litellm|envoy>`: print (or write) configuration that points a real
// gateway's Bedrock upstream at the mock, so the suite can run against it in CI.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { CliError } from './cli-error.ts';
import { envoyConfig, envoyConfigProblem } from './config-envoy.ts';
import { kongConfig, kongConfigProblem } from './config-kong.ts';
import { litellmConfig, litellmConfigProblem } from './config-litellm.ts';
import {
  CLIENT_FORMATS, CONFIG_TARGETS, DEFAULT_CONFIG_MODEL, DEFAULT_MOCK_URL, defaultConfigOptions, parseMockUrl, parseModel, parseRegion,
  type ClientFormat, type ConfigOptions, type ConfigTarget, type GeneratedConfig,
} from './config-options.ts';
import { renderConfig } from './config-render.ts';

/** One line for the command list. */
export const summary = 'Print gateway config (Kong, LiteLLM, Envoy AI Gateway) whose Bedrock upstream is the mock';

/** `config --help`: Usage / Options / Examples. */
export const help = `Usage
  bedrock-conformance config <kong|litellm|envoy> [options]

Prints configuration that points a real gateway's Bedrock upstream at the mock, with the mock's
credentials (AWS's documentation example pair) and region, headed by comments that say what it is,
which schema it was checked against, and the 'run' command to use against it.

  kong      decK declarative file: ai-proxy-advanced and ai-proxy routes, llm_format bedrock
  litellm   LiteLLM proxy config.yaml: bedrock/converse/ deployments, /bedrock pass-through notes
  envoy     Envoy AI Gateway manifests (notes-level: never applied to a cluster here)

Options
  --mock-url URL     The mock as the gateway reaches it (default ${DEFAULT_MOCK_URL});
                     from a container: http://host.docker.internal:4010
  --model ID         Bedrock model id (default ${DEFAULT_CONFIG_MODEL}); litellm and envoy take it
                     more than once; kong takes one, or '$(uri_captures.model)' for any model
  --format FORMAT    kong only: bedrock (native API, default) or openai (chat completions)
  --region REGION    Region the gateway signs for (default ${DEFAULT_REGION}, what 'run' expects)
  --out FILE         Write to FILE (atomically) instead of stdout

Examples
  bedrock-conformance config kong --mock-url http://host.docker.internal:4010 --out kong.yaml
  bedrock-conformance config litellm --model cohere.command-r-v1:0 --model us.amazon.nova-micro-v1:0
  bedrock-conformance config envoy --mock-url http://172.18.0.1:4010
`;

interface Generator {
  problem(options: ConfigOptions): string | undefined;
  generate(options: ConfigOptions): GeneratedConfig;
}

const GENERATORS: Record<ConfigTarget, Generator> = {
  kong: { problem: kongConfigProblem, generate: kongConfig },
  litellm: { problem: litellmConfigProblem, generate: litellmConfig },
  envoy: { problem: envoyConfigProblem, generate: envoyConfig },
};

function unwrap<T>(parsed: { ok: true; value: T } | { ok: false; reason: string }): T {
  if (!parsed.ok) throw new CliError(parsed.reason);
  return parsed.value;
}

/** Parses `config`'s argv into the target and generator options; usage errors are CliErrors. */
export function parseConfigArgs(argv: string[]): { target: ConfigTarget; options: ConfigOptions; out?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'mock-url': { type: 'string', default: DEFAULT_MOCK_URL },
        model: { type: 'string', multiple: true },
        format: { type: 'string' },
        region: { type: 'string', default: DEFAULT_REGION },
        out: { type: 'string' },
      },
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message}. See 'bedrock-conformance config --help'.`);
  }
  const { values, positionals } = parsed;
  const [target, ...extra] = positionals;
  if (target === undefined) throw new CliError(`config needs a target: ${CONFIG_TARGETS.join(', ')}. See 'bedrock-conformance config --help'.`);
  if (!(CONFIG_TARGETS as readonly string[]).includes(target)) throw new CliError(`config: unknown target '${target}'. Targets: ${CONFIG_TARGETS.join(', ')}`);
  if (extra.length > 0) throw new CliError(`config takes one target, got also '${extra.join("', '")}'`);
  if (values.format !== undefined && !(CLIENT_FORMATS as readonly string[]).includes(values.format)) {
    throw new CliError(`--format must be one of ${CLIENT_FORMATS.join(', ')}, got '${values.format}'`);
  }
  if (values.format !== undefined && target !== 'kong') {
    throw new CliError(`--format applies to kong only (${target === 'litellm' ? 'LiteLLM serves both the /bedrock pass-through and chat completions' : 'Envoy AI Gateway takes OpenAI chat completions'})`);
  }
  const defaults = defaultConfigOptions();
  const options: ConfigOptions = {
    ...defaults,
    mock: unwrap(parseMockUrl(values['mock-url'])),
    models: (values.model ?? defaults.models).map((model) => unwrap(parseModel(model))),
    region: unwrap(parseRegion(values.region)),
    format: (values.format as ClientFormat | undefined) ?? defaults.format,
  };
  const problem = GENERATORS[target as ConfigTarget].problem(options);
  if (problem) throw new CliError(problem);
  return { target: target as ConfigTarget, options, ...(values.out !== undefined ? { out: values.out } : {}) };
}

/** Writes `text` to `file` via a temporary file in the same folder and a rename: never a half-written config. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new CliError(`--out: cannot write ${file}: ${(error as Error).message}`);
  }
}

/** Prints the configuration, or writes it with --out; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { target, options, out } = parseConfigArgs(argv);
  const text = renderConfig(GENERATORS[target].generate(options));
  if (out === undefined) {
    process.stdout.write(text);
    return 0;
  }
  await writeAtomically(out, text);
  process.stderr.write(`wrote ${target} config to ${out}\n`);
  return 0;
}
