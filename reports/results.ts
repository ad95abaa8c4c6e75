// The results contract (DESIGN.md): what the runner produces and every report writer reads.

export const CHECK_STATUSES = ['pass', 'fail', 'skip'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

/** One point on a streaming check's timeline, in ms since the request was sent. */
export interface TimelinePoint {
  at: number;
  /** `sent` = the mock wrote this frame upstream; `received` = the client got this event. */
  side: 'sent' | 'received';
  label: string;
}

/** One conformance check's outcome. `id` is stable across runs so CI can track it. */
export interface CheckResult {
  id: string;
  suite: string;
  status: CheckStatus;
  message: string;
  /** Short, human-readable facts that support the verdict (what was sent, what arrived). */
  evidence?: string[];
  /** For property checks: the minimal failing case, in words and as data, and how to replay it. */
  counterexample?: { words: string; value: unknown; seed: number; path?: string };
  timeline?: TimelinePoint[];
  durationMs?: number;
}

export interface GatewayInfo {
  kind: string;
  url: string;
  description?: string;
}

/** The whole results.json document. */
export interface RunResults {
  version: 1;
  gateway: GatewayInfo;
  startedAt: string;
  durationMs: number;
  seed: number;
  runs: number;
  checks: CheckResult[];
  summary: { pass: number; fail: number; skip: number };
}

/** Counts statuses; the summary is always derived, never stored separately by hand. */
export function summarize(checks: CheckResult[]): RunResults['summary'] {
  const summary = { pass: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status] += 1;
  return summary;
}
