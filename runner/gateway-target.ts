// `--gateway URL`: what the gateway must be configured with, and a probe that turns "down",
// "not HTTP" and "not forwarding to the mock" into one clear setup error instead of a wall of failures.
import { connect } from 'node:net';
import type { RunningMock } from '../mock-bedrock/start-mock.ts';
import { SIGNING_SERVICE } from '../mock-bedrock/wire-constants.ts';
import type { CallSpec, ClientDriver } from '../suites/client-driver.ts';
import type { SigningCredentials } from './sign-request.ts';

/** How long the probe waits for a TCP connection and for an answer. */
const CONNECT_TIMEOUT_MS = 3_000;
const ANSWER_TIMEOUT_MS = 10_000;

/** The lines to print so a user can point their gateway at the mock. */
export function gatewaySetupLines(mockUrl: string, credentials: SigningCredentials, region: string): string[] {
  return [
    'Configure the gateway under test to forward Bedrock Runtime (native API) to the mock:',
    `  Bedrock endpoint / upstream URL  ${mockUrl}`,
    `  region                           ${region}  (SigV4 service '${SIGNING_SERVICE}')`,
    `  AWS access key id                ${credentials.accessKeyId}`,
    `  AWS secret access key            ${credentials.secretAccessKey}`,
    "  (AWS's documentation example pair: the mock accepts nothing else; it is not a real credential)",
  ];
}

function tcpConnect(url: URL): Promise<{ ok: true } | { ok: false; reason: string }> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) });
    const done = (result: { ok: true } | { ok: false; reason: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, reason: `no TCP connection within ${CONNECT_TIMEOUT_MS / 1000} s` }), CONNECT_TIMEOUT_MS);
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ ok: false, reason: `${error.code ?? 'error'}: ${error.message}` }));
  });
}

/** Checks that `gatewayUrl` answers HTTP and forwards a Bedrock request to the mock. */
export async function probeGateway(
  gatewayUrl: string, driver: ClientDriver, mock: RunningMock, probe: CallSpec,
): Promise<{ ok: true; notes: string[] } | { ok: false; reason: string }> {
  let url: URL;
  try {
    url = new URL(gatewayUrl);
  } catch {
    return { ok: false, reason: `--gateway '${gatewayUrl}' is not a URL (expected e.g. http://127.0.0.1:8000)` };
  }
  if (url.protocol !== 'http:') return { ok: false, reason: `--gateway '${gatewayUrl}': only http:// gateways are supported` };
  const tcp = await tcpConnect(url);
  if (!tcp.ok) return { ok: false, reason: `the gateway at ${gatewayUrl} is not accepting connections (${tcp.reason}). Start it, or fix --gateway.` };

  const before = mock.log.lastSeq;
  const answer = await driver.raw({ ...probe, timeoutMs: ANSWER_TIMEOUT_MS });
  if (answer.status === 0) {
    return {
      ok: false,
      reason: `the gateway at ${gatewayUrl} accepted a connection but did not answer a Bedrock request with HTTP (${answer.error ?? 'no response'}). Is --gateway its HTTP listener?`,
    };
  }
  const forwarded = mock.log.since(before);
  if (forwarded.length === 0) {
    const said = Buffer.from(answer.bytes).toString('utf8').slice(0, 200).replace(/\s+/g, ' ');
    return {
      ok: false,
      reason: `the gateway at ${gatewayUrl} answered HTTP ${answer.status} to POST /model/${encodeURIComponent(probe.modelId)}/${probe.operation} `
        + `but never forwarded it to the mock at ${mock.url}${said ? ` (it said: ${said})` : ''}. Configure its upstream as shown above.`,
    };
  }
  const notes: string[] = [];
  const rejected = forwarded.find((record) => record.sigv4 && !record.sigv4.ok);
  if (rejected) notes.push(`the mock rejected the gateway's signature on the probe (${rejected.sigv4!.reason}); the SigV4 checks will show the details`);
  return { ok: true, notes };
}
