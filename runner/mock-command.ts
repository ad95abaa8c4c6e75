// `bedrock-conformance mock`: serve the cassettes until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { parseFaultPlan } from '../mock-bedrock/fault-plan-parse.ts';
import type { FaultPlan } from '../mock-bedrock/fault-plan.ts';
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import { startMock } from '../mock-bedrock/start-mock.ts';
import { DEFAULT_CREDENTIALS, DEFAULT_REGION } from '../mock-bedrock/wire-constants.ts';
import { CliError } from './cli-error.ts';
import { parsePort } from './parse-port.ts';

export const summary = 'Serve recorded cassettes as a wire-exact mock Bedrock Runtime';

export const help = `Usage
  bedrock-conformance mock [options]

Serves every cassette under --cassettes on HTTP/1.1 and cleartext HTTP/2 (same port), verifies
each request's SigV4 signature, and logs one line per request. Prints one line with its URL once
it accepts connections; stops cleanly on Ctrl-C or SIGTERM.

Options
  --port N                  Port to listen on (default 4010; 0 picks a free one)
  --host ADDR               Address to bind (default 127.0.0.1)
  --cassettes DIR           Cassette directory (default ./cassettes)
  --access-key-id ID        Access key the gateway must sign with (default ${DEFAULT_CREDENTIALS.accessKeyId})
  --secret-access-key KEY   Its secret (default: AWS's documentation example secret)
  --region REGION           Signing region expected (default ${DEFAULT_REGION})
  --no-verify-sigv4         Accept any or no signature
  --accept-host-without-port  Accept a host header signed without its port (Kong, Portkey), and log it
  --api-key KEY             Accept 'Authorization: Bearer KEY' (repeatable)
  --faults JSON|@FILE       Faults for every request, e.g. '{"split":{"kind":"drip","size":1}}'
  --quiet                   No per-request log lines

Examples
  bedrock-conformance mock
  bedrock-conformance mock --port 0 --faults '{"exception":{"frame":3,"type":"throttlingException"}}'
  AWS_ACCESS_KEY_ID=${DEFAULT_CREDENTIALS.accessKeyId} ... python3 your-client.py   # point endpoint_url at the printed URL
`;

async function readFaults(value: string | undefined): Promise<FaultPlan | undefined> {
  if (value === undefined) return undefined;
  let text = value;
  if (value.startsWith('@')) {
    const { readFile } = await import('node:fs/promises');
    text = await readFile(value.slice(1), 'utf8').catch(() => { throw new CliError(`--faults: cannot read ${value.slice(1)}`); });
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch { throw new CliError('--faults: not valid JSON'); }
  const parsed = parseFaultPlan(json, '--faults');
  if (!parsed.ok) throw new CliError(parsed.error);
  return parsed.plan;
}

/** One log line per request: what came in, how it was judged, what went out. No secrets. */
export function describeRecord(record: RequestRecord): string {
  const what = record.operation ? `${record.operation} ${record.modelId}` : `${record.method} ${record.target}`;
  const sig = record.sigv4 ? (record.sigv4.ok ? `sigv4 ok${record.sigv4.findings.length ? ` (${record.sigv4.findings.join('; ')})` : ''}` : `sigv4 REJECTED: ${record.sigv4.reason}`) : 'sigv4 not checked';
  const answer = record.cassetteId ? `${record.cassetteId}#${record.interaction}` : record.harnessError ?? '-';
  const faults = record.faults ? ` faults=${JSON.stringify(record.faults)}` : '';
  return `${new Date().toISOString()} ${what} -> ${record.status ?? '-'} ${answer} ${record.outcome} [${sig}]${faults}`;
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '4010' },
        host: { type: 'string', default: '127.0.0.1' },
        cassettes: { type: 'string', default: 'cassettes' },
        'access-key-id': { type: 'string' },
        'secret-access-key': { type: 'string' },
        region: { type: 'string', default: DEFAULT_REGION },
        'no-verify-sigv4': { type: 'boolean', default: false },
        'accept-host-without-port': { type: 'boolean', default: false },
        'api-key': { type: 'string', multiple: true },
        faults: { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new CliError(`${(error as Error).message}. See 'bedrock-conformance mock --help'.`);
  }
  const mock = await startMock({
    port: parsePort(values.port, '--port'),
    host: values.host,
    cassettesDir: values.cassettes,
    verifySigV4: !values['no-verify-sigv4'],
    credentials: {
      accessKeyId: values['access-key-id'] ?? DEFAULT_CREDENTIALS.accessKeyId,
      secretAccessKey: values['secret-access-key'] ?? DEFAULT_CREDENTIALS.secretAccessKey,
    },
    region: values.region,
    acceptHostWithoutPort: values['accept-host-without-port'],
    apiKeys: values['api-key'] ?? [],
    defaultFaults: await readFaults(values.faults),
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') throw new CliError(`port ${values.port} is in use; pick another with --port (or --port 0)`);
    throw error;
  });
  for (const problem of mock.problems) process.stderr.write(`cassette problem: ${problem}\n`);
  if (!values.quiet) mock.log.onFinish((record) => process.stderr.write(`${describeRecord(record)}\n`));
  process.stdout.write(`mock Bedrock Runtime listening on ${mock.url} (region ${values.region}, SigV4 ${values['no-verify-sigv4'] ? 'off' : 'checked'})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await mock.close();
  return 0;
}
