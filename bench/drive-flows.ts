// The load loop: `concurrency` flows in flight against one endpoint until a deadline.
import type { ClientKind } from './bench-args.ts';
import { runFlow, type FlowClient } from './bench-client.ts';
import { flowClient } from './flow-client.ts';
import type { SeedRound } from './seed-flow.ts';

/** What one timed window produced. */
export interface DriveResult {
  /** Flows finished before the deadline: the rate's numerator. */
  flows: number;
  /** Flows in flight at the deadline and finished after it (server work not in the rate). */
  drained: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/** A client kept across windows, so every window but the warm-up runs on open keep-alive sockets. */
export class FlowDriver {
  private readonly client: FlowClient;

  constructor(kind: ClientKind, endpoint: string, private readonly rounds: SeedRound[], private readonly concurrency: number) {
    this.client = flowClient(kind, endpoint, concurrency);
  }

  /** Runs flows for `durationMs`; counts those finished before the deadline, then lets the rest drain. */
  async drive(durationMs: number): Promise<DriveResult> {
    const start = performance.now();
    const deadline = start + durationMs;
    const result: DriveResult = { flows: 0, drained: 0, errors: 0, elapsedMs: durationMs };
    const lane = async () => {
      while (performance.now() < deadline) {
        const outcome = await runFlow(this.client, this.rounds);
        if (performance.now() > deadline && outcome.ok) result.drained += 1;
        else if (outcome.ok) result.flows += 1;
        else {
          result.errors += 1;
          result.firstError ??= outcome.reason;
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    return result;
  }

  close(): void {
    this.client.destroy();
  }
}
