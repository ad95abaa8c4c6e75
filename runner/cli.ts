// bedrock-conformance: one entry point, one module per command, loaded only when used.
import { CliError, EXIT_USAGE } from './cli-error.ts';

// The SDK's notice about future Node versions is not ours to show on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

interface CommandModule {
  /** One line for the command list. */
  summary: string;
  /** Full help text (Usage / Options / Examples). */
  help: string;
  /** Runs the command; resolves to the process exit code. */
  main(argv: string[]): Promise<number>;
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  mock: () => import('./mock-command.ts'),
  run: () => import('./run-command.ts'),
  record: () => import('./record-command.ts'),
  cassettes: () => import('./cassettes-command.ts'),
  config: () => import('./config-command.ts'),
};

const USAGE = `bedrock-conformance: conformance suite for gateways that front AWS Bedrock Runtime

Usage
  bedrock-conformance <command> [options]

Commands
  mock        Serve recorded cassettes as a wire-exact mock Bedrock Runtime
  run         Drive a gateway (or the built-in reference gateway) through every suite
  record      Record new cassettes against real AWS Bedrock (or any --upstream)
  cassettes   verify | import: check a cassette tree, convert existing captures
  config      kong | litellm | envoy: gateway config whose Bedrock upstream is the mock

Run 'bedrock-conformance <command> --help' for a command's options.

Examples
  bedrock-conformance run
  bedrock-conformance mock --port 4010
  bedrock-conformance run --gateway http://127.0.0.1:8000 --report-dir out
`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : EXIT_USAGE;
  }
  const load = COMMANDS[name];
  if (!load) throw new CliError(`unknown command '${name}'. Commands: ${Object.keys(COMMANDS).join(', ')}`);
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help);
    return 0;
  }
  return command.main(rest);
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`bedrock-conformance: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`bedrock-conformance: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    }
  },
);
