// `config litellm`: a LiteLLM proxy config.yaml whose Bedrock deployments send to the mock. Keys are
// from LiteLLM's router types (litellm/types/router.py) and its Bedrock docs (see test/fixtures/config-schemas).
import { runCommand, type ConfigOptions, type GeneratedConfig } from './config-options.ts';

/** Where `litellm --config config.yaml` listens by default (port 4000). */
export const LITELLM_PROXY_URL = 'http://127.0.0.1:4000';

/** LiteLLM's Bedrock pass-through: anything after it is a Bedrock Runtime path. */
export const LITELLM_BEDROCK_PREFIX = '/bedrock';

/** LiteLLM's route for Bedrock's Converse API (docs.litellm.ai/docs/providers/bedrock, "Set converse / invoke route"). */
export const LITELLM_CONVERSE_PREFIX = 'bedrock/converse/';

/** What the keys were checked against (also printed in the header). */
export const LITELLM_CHECKED_AGAINST = 'LiteLLM litellm/types/router.py (LiteLLM_Params, Deployment) at BerriAI/litellm@0044fbec, docs.litellm.ai/docs/providers/bedrock and /docs/pass_through/bedrock';

/** Why a LiteLLM config cannot be made from these options, or undefined when it can. */
export function litellmConfigProblem(options: ConfigOptions): string | undefined {
  const templated = options.models.find((model) => model.includes('$('));
  if (templated) return `--model '${templated}' is Kong templating; LiteLLM needs one --model per Bedrock model id`;
  return undefined;
}

function header(options: ConfigOptions): string[] {
  const gateway = `${LITELLM_PROXY_URL}${LITELLM_BEDROCK_PREFIX}`;
  return [
    'bedrock-conformance config litellm: LiteLLM proxy config.yaml (litellm --config config.yaml)',
    `Bedrock upstream: the bedrock-conformance mock at ${options.mock.origin}, region ${options.region}, model${options.models.length > 1 ? 's' : ''} ${options.models.join(', ')}.`,
    `Checked against: ${LITELLM_CHECKED_AGAINST}.`,
    '',
    'Run the suite against it, through the /bedrock pass-through (LiteLLM on 4000):',
    `  ${runCommand(gateway, options.mock)}`,
    '',
    'Notes:',
    `- /bedrock pass-through: ${gateway}/model/{modelId}/converse, /converse-stream, /invoke and`,
    '  /invoke-with-response-stream. A {modelId} equal to a model_name below is served by that deployment: LiteLLM',
    '  re-signs with its aws_* keys and sends to its aws_bedrock_runtime_endpoint (the mock). A model id not listed',
    '  here is sent to real AWS with the environment\'s credentials: add a --model for every model the suites use.',
    '- No general_settings.master_key: the suite\'s client sends a SigV4 Authorization header, not a LiteLLM key;',
    '  with a master key set LiteLLM answers 401 before anything reaches the mock.',
    `- The same deployments serve OpenAI chat completions: POST ${LITELLM_PROXY_URL}/v1/chat/completions with "model": "${options.models[0]}".`,
    '- Keys: AWS\'s documentation example pair, which the mock expects. Not a real credential.',
  ];
}

/** The config: one model_list entry per model, named by its Bedrock id so pass-through paths find it. */
export function litellmConfig(options: ConfigOptions): GeneratedConfig {
  const problem = litellmConfigProblem(options);
  if (problem) throw new Error(problem);
  return {
    header: header(options),
    documents: [{
      model_list: options.models.map((model) => ({
        model_name: model,
        litellm_params: {
          model: `${LITELLM_CONVERSE_PREFIX}${model}`,
          aws_bedrock_runtime_endpoint: options.mock.origin,
          aws_access_key_id: options.credentials.accessKeyId,
          aws_secret_access_key: options.credentials.secretAccessKey,
          aws_region_name: options.region,
        },
      })),
    }],
  };
}
