// A tiny seeded PRNG so random split plans replay exactly from their seed (no Math.random).

/** mulberry32: a 32-bit state generator returning floats in [0, 1); same seed, same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [low, high) drawn from `next`; `low` when the range is empty. */
export function randomInt(next: () => number, low: number, high: number): number {
  return high <= low ? low : low + Math.floor(next() * (high - low));
}

/** Picks an index with probability proportional to its weight; -1 when every weight is 0. */
export function pickWeighted(next: () => number, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return -1;
  let roll = next() * total;
  for (let i = 0; i < weights.length; i++) {
    roll -= weights[i];
    if (roll < 0 && weights[i] > 0) return i;
  }
  let last = weights.length - 1;
  while (weights[last] <= 0) last--;
  return last;
}
