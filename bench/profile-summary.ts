// Where a server's CPU went in a .cpuprofile: busy time by area (first matching rule up the stack)
// and the hottest functions, so a missed target comes with its cause.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The parts of a V8 .cpuprofile this reads. */
export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Frame = ProfileNode['callFrame'];

/** Time spent answering the bench's own IPC and stopping the profiler: not the server's. */
const isInstrumentation = (f: Frame) => f.url.includes('/bench/child-report') || f.url === 'node:inspector';

/** Areas in precedence order: a sample counts for the first area any frame of its stack matches. */
const STACK_AREAS: [string, (frame: Frame) => boolean][] = [
  ['SigV4 verification', (f) => /mock-bedrock\/sigv4-|@smithy\/signature-v4|@aws-crypto/.test(f.url)],
  ['cassette matching', (f) => /mock-bedrock\/(request-match|conversation-key)\.ts/.test(f.url)],
  ['write planning', (f) => /mock-bedrock\/(write-plan|split-points|fault-plan-parse)\.ts/.test(f.url)],
  ['request log', (f) => f.url.includes('mock-bedrock/request-log.ts')],
  ['polka routing', (f) => /\/(polka|@polka)\//.test(f.url)],
  ['socket writes (writev)', (f) => ['writev', '_writev', 'writevGeneric', 'writeGeneric', 'connectionCorkNT'].includes(f.functionName)],
  ['stream write loop (mock)', (f) => f.url.includes('mock-bedrock/response-writer.ts')],
  ['other mock code', (f) => f.url.includes('/mock-bedrock/')],
  ['aimock code', (f) => f.url.includes('@copilotkit/aimock')],
  ['bare handler', (f) => f.url.includes('/bench/serve-bare')],
];

/** Node internals by the leaf frame alone, once no area above claimed the sample. */
const isHttpParsing = (leaf: Frame) => leaf.functionName.startsWith('parserOn') || /node:_http_(common|incoming)$/.test(leaf.url);

/** Busy CPU time of a profile, split by area, plus the top functions by self time. */
export interface ProfileSummary {
  totalMs: number;
  busyMs: number;
  areas: { area: string; ms: number }[];
  hottest: { fn: string; ms: number }[];
}

const short = (url: string) => url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(mock-bedrock|bench)\//, '$1/');

/** Summarises a profile; idle samples and the bench's own IPC are not busy time. */
export function summarizeProfile(profile: CpuProfile, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const hottest = new Map<string, number>();
  let totalUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    totalUs += us;
    const leaf = byId.get(id)!.callFrame;
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!.callFrame);
    if (leaf.functionName === '(idle)' || stack.some(isInstrumentation)) continue;
    busyUs += us;
    const area = leaf.functionName === '(garbage collector)' ? 'garbage collection'
      : leaf.functionName === '(program)' ? 'V8/native, unattributed'
      : STACK_AREAS.find(([, matches]) => stack.some(matches))?.[0]
        ?? (isHttpParsing(leaf) ? 'HTTP request parsing' : 'Node.js HTTP/stream internals');
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fn = `${leaf.functionName || '(anonymous)'} ${short(leaf.url)}${leaf.url ? `:${leaf.lineNumber + 1}` : ''}`;
    hottest.set(fn, (hottest.get(fn) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / 1000] as const);
  return {
    totalMs: totalUs / 1000,
    busyMs: busyUs / 1000,
    areas: sorted(areas).map(([area, ms]) => ({ area, ms })),
    hottest: sorted(hottest).slice(0, top).map(([fn, ms]) => ({ fn, ms })),
  };
}

/** Readable lines: each area's share of busy time and its cost per flow. */
export function formatProfileSummary(name: string, summary: ProfileSummary, flows: number): string[] {
  const perFlow = (ms: number) => (flows > 0 ? `${Math.round((ms * 1000) / flows)} µs/flow` : '');
  const pct = (ms: number) => `${((100 * ms) / Math.max(summary.busyMs, 1e-9)).toFixed(1).padStart(5)}%`;
  return [
    `${name} profile: ${summary.busyMs.toFixed(0)} ms busy of ${summary.totalMs.toFixed(0)} ms (${perFlow(summary.busyMs)} on the JS thread, ${flows} flows)`,
    ...summary.areas.map(({ area, ms }) => `  ${pct(ms)}  ${area.padEnd(40)} ${perFlow(ms)}`),
    `  hottest functions (self time):`,
    ...summary.hottest.map(({ fn, ms }) => `  ${pct(ms)}  ${fn}`),
  ];
}
