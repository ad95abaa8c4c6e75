// One extra window per server under the CPU profiler, summarised, for when a target is missed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientKind } from './bench-args.ts';
import type { ClientPool } from './client-pool.ts';
import { formatProfileSummary, summarizeProfile, type CpuProfile } from './profile-summary.ts';
import type { ServerChild } from './spawn-server.ts';

/** Profiles each server for `durationMs` of `client`'s load, writes `<dir>/<client>-<server>.cpuprofile`, logs the summary. */
export async function profileServers(pool: ClientPool, client: ClientKind, servers: ServerChild[], dir: string, durationMs: number, log: (line: string) => void): Promise<void> {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  for (const server of servers) {
    const file = join(out, `${client}-${server.name}.cpuprofile`);
    await server.profileStart();
    const result = await pool.drive(server.name, durationMs);
    await server.profileStop(file);
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    for (const line of formatProfileSummary(server.name, summarizeProfile(profile), result.flows + result.drained)) log(line);
    log(`  (written to ${file}; the profiler itself slows the server, so read shares, not absolute times)`);
  }
}
