// Which faults apply to a request: set per request by the runner, in order of precedence.
import type { FaultPlan } from './fault-plan.ts';

/** A runner's instruction: apply `plan` to requests answered by this cassette (and interaction). */
export interface FaultRule {
  cassetteId: string;
  interaction?: number;
  plan: FaultPlan;
  /** How many requests it applies to before it retires; unlimited when absent. */
  times?: number;
}

/** Rules in the order they were added; the newest matching rule wins. */
export class FaultRules {
  private rules: FaultRule[] = [];

  /** Adds a rule; returns a function that removes it again. */
  add(rule: FaultRule): () => void {
    const copy = { ...rule };
    this.rules.push(copy);
    return () => { this.rules = this.rules.filter((r) => r !== copy); };
  }

  clear(): void {
    this.rules = [];
  }

  /** The plan for a request answered by `cassetteId` interaction `interaction`, consuming one use. */
  take(cassetteId: string, interaction: number): FaultPlan | undefined {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i]!;
      if (rule.cassetteId !== cassetteId) continue;
      if (rule.interaction !== undefined && rule.interaction !== interaction) continue;
      if (rule.times !== undefined && --rule.times <= 0) this.rules.splice(i, 1);
      return rule.plan;
    }
    return undefined;
  }
}
