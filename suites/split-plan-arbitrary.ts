// fast-check values for split plans over one recorded stream, biased to the cuts parsers get
// wrong and shaped so shrinking ends at a single cut fast-check can name.
import fc from 'fast-check';
import type { SplitPlan } from '../mock-bedrock/fault-plan.ts';
import { classifyCut, type CutKind } from '../mock-bedrock/split-points.ts';

/** Cut kinds in shrink order: a failure shrinks toward the earlier kinds when they fail too. */
const GENERATED_KINDS: readonly CutKind[] = ['frame-boundary', 'length-prefix', 'prelude', 'headers', 'payload', 'utf8', 'message-crc'];

/** Every stream offset where a cut can go, grouped by what the cut splits (one pass over the bytes). */
export function cutSitesByKind(frames: readonly Uint8Array[]): Map<CutKind, number[]> {
  const sites = new Map<CutKind, number[]>(GENERATED_KINDS.map((kind) => [kind, []]));
  let start = 0;
  frames.forEach((frame, i) => {
    if (i > 0 && frame.length > 0) sites.get('frame-boundary')!.push(start);
    for (let rel = 1; rel < frame.length; rel++) {
      const site = classifyCut([frame], rel);
      if (site) sites.get(site.kind)?.push(start + rel);
    }
    start += frame.length;
  });
  return sites;
}

/** Stream offsets of each frame's first byte. */
export function frameStarts(frames: readonly Uint8Array[]): number[] {
  let at = 0;
  return frames.map((frame) => {
    const start = at;
    at += frame.length;
    return start;
  });
}

/**
 * Split plans for `frames`: explicit cuts at sites of every kind (most runs), byte drips and
 * coalesced frames. Explicit cuts shrink to one cut; the mock's `random` plans are left out
 * because a seed shrinks to nothing a reader can use.
 */
export function splitPlanArbitrary(frames: readonly Uint8Array[]): fc.Arbitrary<SplitPlan> {
  const sites = cutSitesByKind(frames);
  const kinds = GENERATED_KINDS.filter((kind) => sites.get(kind)!.length > 0);
  const options: fc.WeightedArbitrary<SplitPlan>[] = [];
  if (kinds.length > 0) {
    const cut = fc.record({ kind: fc.constantFrom(...kinds), pick: fc.nat() })
      .map(({ kind, pick }) => { const list = sites.get(kind)!; return list[pick % list.length]!; });
    const offsets = fc.array(cut, { minLength: 1, maxLength: 8 })
      .map((cuts): SplitPlan => ({ kind: 'offsets', offsets: [...new Set(cuts)].sort((a, b) => a - b) }));
    options.push({ weight: 6, arbitrary: offsets });
  }
  options.push({ weight: 1, arbitrary: fc.integer({ min: 1, max: 64 }).map((size): SplitPlan => ({ kind: 'drip', size })) });
  if (frames.length > 1) {
    options.push({ weight: 1, arbitrary: fc.integer({ min: 2, max: frames.length }).map((n): SplitPlan => ({ kind: 'coalesce', frames: n })) });
  }
  return fc.oneof(...options);
}
