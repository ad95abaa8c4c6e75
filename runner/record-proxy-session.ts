// `record --proxy`: only the recording proxy, for any client or gateway to point at. When told to
// stop (Ctrl-C or SIGTERM in the CLI) it writes everything it recorded as one cassette.
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { writeCassetteFile } from '../mock-bedrock/cassette-load.ts';
import { cassetteFile, existingCassettes, recordedCassette, unusedCassettes, type RecordReport } from './record-run.ts';
import { startRecordingProxy } from './recording-proxy.ts';

/** A proxy session's settings; `stop` is a signal in the CLI, a promise in tests. */
export interface ProxySessionOptions {
  region: string;
  upstream: string;
  out: string;
  port: number;
  /** Cassette id; defaults to `proxy-<timestamp>`. */
  id?: string;
  credentials: AwsCredentialIdentityProvider;
  keepAccountIds?: boolean;
  log: (line: string) => void;
  /** Called once the proxy listens. */
  ready: (url: string) => void;
  /** Resolves when the session should end. */
  stop: Promise<unknown>;
  now?: () => Date;
}

/** Runs one proxy session and reports the cassette it wrote (if any request was recorded). */
export async function recordProxySession(options: ProxySessionOptions): Promise<RecordReport> {
  const now = options.now ?? (() => new Date());
  const existing = await existingCassettes(options.out, options.log);
  const proxy = await startRecordingProxy({
    upstream: options.upstream, region: options.region, credentials: options.credentials,
    port: options.port, keepAccountIds: options.keepAccountIds, log: options.log,
  });
  const startedAt = now();
  options.ready(proxy.url);
  await options.stop;
  // Closing cuts any response still streaming; those exchanges come back as failures.
  await proxy.close();
  const exchanges = proxy.take();
  const interactions = exchanges.flatMap((e) => (e.interaction ? [e.interaction] : []));
  const report: RecordReport = {
    written: [],
    kept: [],
    unused: [],
    missed: exchanges.flatMap((e) => (e.failure ? [{ id: `#${e.seq} ${e.label}`, reason: e.failure }] : [])),
  };
  const id = options.id ?? `proxy-${startedAt.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
  if (interactions.length > 0) {
    const file = cassetteFile(id, options.out, existing);
    const description = `Recorded through 'bedrock-conformance record --proxy' (${interactions.length} request${interactions.length === 1 ? '' : 's'})`;
    await writeCassetteFile(file, recordedCassette(id, description, interactions, options.upstream, startedAt));
    report.written.push({ id, file });
  }
  report.unused = unusedCassettes(existing, report.written.map((c) => c.id));
  return report;
}
