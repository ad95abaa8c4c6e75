// `bedrock-conformance run`: drive a gateway (the built-in reference gateway by default) through
// every suite, show progress, write the reports, and exit 0 (all pass), 1 (a check failed) or 2.
import { relative } from 'node:path';
import { baselineOf, compareWithBaseline, describeChange, readBaseline, writeBaseline } from '../reports/baseline.ts';
import { writeReports } from '../reports/write-reports.ts';
import { CliError } from './cli-error.ts';
import { GATEWAY_FLAWS } from './gateway-flaws.ts';
import { DEFAULT_RUNS, EXTERNAL_MOCK_PORT, parseRunArgs } from './run-args.ts';
import { runConformance } from './run-conformance.ts';
import { progressHooks } from './run-progress.ts';
import { renderSummary } from './run-summary.ts';
import { CHAT_SUITES, SUITES } from './suite-registry.ts';
import { GATEWAY_PROFILES } from './gateway-profiles.ts';

/** One line for the command list. */
export const summary = 'Drive a gateway (or the built-in reference gateway) through every suite';

/** `run --help`: Usage / Options / Examples. */
export const help = `Usage
  bedrock-conformance run [options]

Starts the mock Bedrock Runtime in-process and drives the gateway under test with the AWS SDK's
BedrockRuntimeClient (dummy credentials, retries off). With no --gateway, it drives the built-in
reference gateway, a correct native-Bedrock pass-through that must pass every check. With
--profile, it starts a real gateway itself and drives it with that gateway's client API. Progress goes
to stderr, a summary to stdout, reports to --report-dir. Exit 0 when every check passes, 1 when
any fails, 2 on usage or setup errors (bad flag, gateway down or not forwarding to the mock).

Options
  --gateway URL|builtin[:FLAW]  Gateway under test: an http:// URL, or the built-in one (default),
                                optionally with deliberate flaws (comma-separated) to see what the
                                suites catch: ${GATEWAY_FLAWS.join(', ')}
  --profile NAME                Start a real third-party gateway and drive it with the client API
                                it speaks (runs the openai-* suites): ${Object.keys(GATEWAY_PROFILES).join(', ')}
  --baseline FILE               Compare with this baseline: exit 0 when every check has the status
                                the file expects (failures included), 1 when anything changed
  --update-baseline             Write this run's results to --baseline FILE instead of comparing
  --mock-host HOST              Address the mock binds (default 127.0.0.1); 0.0.0.0 or the Docker
                                bridge address when the gateway runs in a container
  --accept-host-without-port    Accept a gateway that signs 'host' without the port (Kong does);
                                reported as the sigv4/host-with-port finding instead of 403s
  --mock-port N                 Mock port (default ${EXTERNAL_MOCK_PORT} with --gateway URL, any free port otherwise)
  --suite ID                    Run only this suite (repeatable): ${SUITES.map((s) => s.id).join(', ')};
                                with --profile: ${CHAT_SUITES.map((s) => s.id).join(', ')}
  --report-dir DIR              Where the reports go (default ./conformance-report)
  --seed N                      Seed for property tests and fault plans (default: random, printed)
  --runs N                      fast-check runs per property (default ${DEFAULT_RUNS})
  --http2                       Client speaks cleartext HTTP/2 to the gateway (default HTTP/1.1)
  --cassettes DIR               Cassettes the mock serves (default: the package's cassettes/)

Examples
  bedrock-conformance run
  bedrock-conformance run --gateway http://127.0.0.1:8000 --report-dir out
  bedrock-conformance run --suite chunking --seed 1234 --runs 200
  bedrock-conformance run --gateway builtin:drop-exceptions
  bedrock-conformance run --profile portkey --seed 1 --baseline reports/baselines/portkey.json
`;

/** Runs the suites, writes the reports, prints the summary; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  // The SDK's "upgrade Node" notice would land in every run's output; our clients are local and dummy.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const args = parseRunArgs(argv, [...SUITES, ...CHAT_SUITES]);
  const { options } = args;
  const gatewayWords = options.gateway.kind === 'external' ? options.gateway.url
    : options.gateway.kind === 'profile' ? `the ${options.gateway.profile.name} profile`
      : `built-in reference gateway${options.gateway.flaws.length ? ` with flaws ${options.gateway.flaws.join(', ')}` : ''}`;
  const baseline = args.baseline !== undefined && !args.updateBaseline ? await readBaseline(args.baseline) : undefined;
  if (baseline && !baseline.ok) throw new CliError(baseline.reason);
  process.stderr.write(
    `bedrock-conformance run: ${options.suites.length} suites against ${gatewayWords}, seed ${options.seed}, `
      + `${options.runs} property runs, HTTP/${options.http2 ? '2' : '1.1'}\n`,
  );
  const results = await runConformance(options, progressHooks(process.stderr));
  let files: string[];
  try {
    ({ files } = await writeReports(args.reportDir, results));
  } catch (error) {
    throw new CliError(`could not write the reports to ${args.reportDir}: ${(error as Error).message}`);
  }
  const html = files.find((file) => file.endsWith('.html')) ?? args.reportDir;
  const shown = relative(process.cwd(), html);
  process.stdout.write(renderSummary({
    results,
    suiteIds: options.suites.map((suite) => suite.id),
    reportPath: `${shown.startsWith('..') ? html : shown} (and ${files.filter((f) => f !== html).map((f) => f.split('/').pop()).join(', ')})`,
    replay: args.replay,
    width: process.stdout.isTTY && process.stdout.columns ? Math.max(60, process.stdout.columns - 1) : 240,
  }));
  if (args.baseline !== undefined && args.updateBaseline) {
    await writeBaseline(args.baseline, baselineOf(results));
    process.stdout.write(`baseline written to ${args.baseline}\n`);
  } else if (baseline?.ok) {
    const changes = compareWithBaseline(results, baseline.baseline);
    if (changes.length === 0) {
      process.stdout.write(`BASELINE: no change from ${args.baseline} (${results.checks.length} checks)\n`);
      return 0;
    }
    process.stdout.write(`BASELINE: ${changes.length} change(s) from ${args.baseline}:\n${changes.map((c) => `  ${describeChange(c)}`).join('\n')}\n`);
    return 1;
  }
  return results.summary.fail > 0 ? 1 : 0;
}
