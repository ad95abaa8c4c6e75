// Starts a benchmark server script in its own Node process (so it never shares the client's CPU)
// and reads its memory and CPU from outside.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildRequest, ChildStats } from './child-report.ts';
import { REPO_ROOT } from './seed-flow.ts';

/** A running server child. */
export interface ServerChild {
  name: string;
  url: string;
  pid: number;
  /** RSS (from /proc/<pid>/status VmRSS where there is one, else the child's own report) and CPU time. */
  stats(): Promise<{ rssBytes: number; heapUsedBytes: number; cpuMicros: number }>;
  /** Starts the child's CPU profiler. */
  profileStart(): Promise<void>;
  /** Stops it and has the child write the .cpuprofile to `file`. */
  profileStop(file: string): Promise<void>;
  stop(): Promise<void>;
}

function vmRssBytes(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    const kb = line ? Number(line.split(/\s+/)[1]) : NaN;
    return Number.isFinite(kb) ? kb * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function ask<T>(child: ChildProcess, request: ChildRequest): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (message: unknown) => {
      if ((message as { type?: string })?.type !== request.type) return;
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

/** Runs `bench/<script>` with tsx (after `nodeArgs`, e.g. --cpu-prof) and resolves once it prints its URL. */
export function spawnServer(name: string, script: string, nodeArgs: string[] = [], readyTimeoutMs = 30_000): Promise<ServerChild> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(REPO_ROOT, 'bench', script)], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => fail(`${name} did not print its URL within ${readyTimeoutMs} ms`), readyTimeoutMs);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${why} (bench/${script}); its output: ${seen.slice(0, 500)}`));
    };
    const onEarlyExit = (code: number | null) => fail(`${name} exited with code ${code} before it was ready`);
    child.once('exit', onEarlyExit);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const url = /http:\/\/127\.0\.0\.1:\d+/.exec(seen)?.[0];
      if (!url) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      resolve({
        name,
        url,
        pid: child.pid!,
        async stats() {
          const reported = await ask<ChildStats>(child, { type: 'stats' });
          return { rssBytes: vmRssBytes(child.pid!) ?? reported.rss, heapUsedBytes: reported.heapUsed, cpuMicros: reported.cpuMicros };
        },
        async profileStart() {
          await ask(child, { type: 'profile-start' });
        },
        async profileStop(file) {
          await ask(child, { type: 'profile-stop', file });
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
          await exited;
          clearTimeout(forced);
        },
      });
    });
  });
}
