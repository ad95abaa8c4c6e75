// `bedrock-conformance record`: flags in, a recording run (or a proxy session) out, and the
// new / unused / missed summary at the end of every run.
import { lookup } from 'node:dns/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { loadCassettes } from '../mock-bedrock/cassette-load.ts';
import { CliError, EXIT_USAGE } from './cli-error.ts';
import { explainNoCredentials, explainUpstreamError } from './record-errors.ts';
import { recordProxySession } from './record-proxy-session.ts';
import { RECORD_MODES, recordRun, type RecordMode, type RecordReport } from './record-run.ts';
import { RECORD_SCENARIOS, selectScenarios } from './record-scenarios.ts';
import { rememberSecret, scrub } from './redact.ts';

/** One line for the command list. */
export const summary = 'Record new cassettes against real AWS Bedrock (or any --upstream)';

/** Full help text. */
export const help = `Usage
  bedrock-conformance record --region REGION [--scenario ID]... [--out DIR] [options]
  bedrock-conformance record --region REGION --proxy [--port P] [--scenario ID] [--out DIR]

Runs the client flows against real Bedrock through a local recording proxy that re-signs each
request with your AWS credentials (environment, shared config/credentials files and profiles,
SSO, credential_process, container or instance metadata) and writes one cassette per scenario.
Credentials, signatures and dates are never written; account ids in ARNs become 000000000000.

Options
  --region REGION      Signing region, and the endpoint bedrock-runtime.REGION.amazonaws.com
                       (default: $AWS_REGION)
  --scenario ID        Scenario to record (repeatable). Built-in: ${RECORD_SCENARIOS.map((s) => s.id).join(', ')};
                       or the id of a cassette under --cassettes, to re-record it. Default: all built-in.
                       With --proxy: the id of the one cassette written (default proxy-<time>)
  --out DIR            Where cassettes are written (default cassettes/recorded)
  --mode MODE          record (default): overwrite; update: keep cassettes that already exist
  --model ID           Record the built-in flows with this model id (or inference profile ARN)
  --cassettes DIR      Cassettes that --scenario may name for re-recording (default cassettes)
  --upstream URL       Any Bedrock-compatible endpoint instead of AWS (e.g. the mock)
  --proxy              Only run the recording proxy (HTTP/1.1 on 127.0.0.1); point any client or
                       gateway at it with any credentials. Ctrl-C or SIGTERM writes what it
                       captured as one cassette and exits
  --port P             Proxy port with --proxy (default: a free port, printed)
  --keep-account-ids   Keep account ids in ARNs as recorded

Examples
  AWS_PROFILE=dev bedrock-conformance record --region us-west-2
  bedrock-conformance record --region us-east-1 --scenario top-song-converse-stream --model us.anthropic.claude-3-5-haiku-20241022-v1:0
  bedrock-conformance record --region us-west-2 --proxy --port 4011 --scenario kong-top-song
`;

const FLAGS = {
  region: { type: 'string' },
  scenario: { type: 'string', multiple: true, default: [] as string[] },
  out: { type: 'string', default: 'cassettes/recorded' },
  mode: { type: 'string', default: 'record' },
  model: { type: 'string' },
  cassettes: { type: 'string', default: 'cassettes' },
  upstream: { type: 'string' },
  proxy: { type: 'boolean', default: false },
  port: { type: 'string' },
  'keep-account-ids': { type: 'boolean', default: false },
} satisfies NonNullable<ParseArgsConfig['options']>;

function parseFlags(argv: string[]) {
  let values;
  try {
    values = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError(`${(error as Error).message}\nRun 'bedrock-conformance record --help' for the options.`);
  }
  const region = values.region ?? process.env.AWS_REGION;
  if (!region || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new CliError(`--region is required and must look like us-west-2 (got ${region ? `'${region}'` : 'nothing'})`);
  }
  if (!(RECORD_MODES as readonly string[]).includes(values.mode)) throw new CliError(`--mode must be one of ${RECORD_MODES.join(', ')}`);
  if (values.port !== undefined && !values.proxy) throw new CliError('--port only applies with --proxy');
  const port = Number(values.port ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be 0..65535 (got '${values.port}')`);
  const upstream = values.upstream ?? `https://bedrock-runtime.${region}.amazonaws.com`;
  try {
    new URL(upstream);
  } catch {
    throw new CliError(`--upstream '${values.upstream}' is not a URL`);
  }
  return { ...values, region, port, upstream, mode: values.mode as RecordMode, defaultUpstream: values.upstream === undefined };
}

/** Resolves credentials once, up front, so a missing setup fails before any request (exit 2). */
async function checkCredentials(provider: AwsCredentialIdentityProvider): Promise<void> {
  try {
    const found = await provider();
    for (const secret of [found.accessKeyId, found.secretAccessKey, found.sessionToken]) rememberSecret(secret);
  } catch (error) {
    throw new CliError(explainNoCredentials(error), EXIT_USAGE);
  }
}

/** The end-of-run summary: new, unused and missed cassettes (and kept ones in update mode). */
export function formatRecordReport(report: RecordReport): string {
  const lines = [`record: ${report.written.length} new, ${report.unused.length} unused, ${report.missed.length} missed` +
    (report.kept.length ? `, ${report.kept.length} kept` : '')];
  for (const c of report.written) lines.push(`  new     ${c.id}  ${c.file}`);
  for (const c of report.kept) lines.push(`  kept    ${c.id}  ${c.file}`);
  for (const c of report.unused) lines.push(`  unused  ${c.id}  ${c.file}`);
  for (const m of report.missed) lines.push(`  missed  ${m.id}: ${m.reason.replace(/\n/g, '\n          ')}`);
  return `${scrub(lines.join('\n'))}\n`;
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => () => resolve(signal);
    process.once('SIGINT', on('SIGINT'));
    process.once('SIGTERM', on('SIGTERM'));
  });
}

/** Runs the command; 0 when every scenario was recorded, 1 when any was missed, 2 on setup errors. */
export async function main(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  const log = (line: string) => process.stderr.write(`${scrub(line)}\n`);
  const credentials = defaultProvider();
  await checkCredentials(credentials);
  if (flags.defaultUpstream) {
    // A region without Bedrock has no such host: say so once, before any scenario runs.
    const host = new URL(flags.upstream).hostname;
    await lookup(host).catch((error: unknown) => {
      throw new CliError(explainUpstreamError(error, flags.upstream, flags.region));
    });
  }
  const common = { region: flags.region, upstream: flags.upstream, out: flags.out, credentials, keepAccountIds: flags['keep-account-ids'], log };
  let report: RecordReport;
  if (flags.proxy) {
    report = await recordProxySession({
      ...common, port: flags.port, id: flags.scenario[0], stop: untilSignal(),
      ready: (url) => process.stdout.write(`recording proxy listening on ${url} -> ${flags.upstream} (Ctrl-C writes the cassette)\n`),
    });
  } else {
    const selected = selectScenarios(flags.scenario, (await loadCassettes(flags.cassettes)).cassettes, flags.model);
    if (!selected.ok) throw new CliError(selected.reason);
    report = await recordRun({ ...common, mode: flags.mode, scenarios: selected.scenarios });
  }
  process.stdout.write(formatRecordReport(report));
  return report.missed.length > 0 ? 1 : 0;
}
