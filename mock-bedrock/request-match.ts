// Picks the recorded interaction that answers a request, or explains which came closest.
import { isAbsolute, relative } from 'node:path';
import type { CassetteInteraction, LoadedCassette } from './cassette.ts';
import { conversationKey, conversationOf, stableJson } from './conversation-key.ts';
import type { Operation } from './wire-constants.ts';

/** A candidate answer, with its conversation key computed once at load time. */
export interface IndexedInteraction {
  cassette: LoadedCassette;
  index: number;
  interaction: CassetteInteraction;
  key: string;
}

export interface MatchQuery {
  operation: Operation;
  modelId: string;
  body: unknown;
}

export type MatchResult =
  | { ok: true; found: IndexedInteraction }
  | { ok: false; reason: string };

/** Indexes every interaction of every cassette for matching. */
export function indexInteractions(cassettes: LoadedCassette[]): IndexedInteraction[] {
  return cassettes.flatMap((cassette) =>
    cassette.interactions.map((interaction, index) => ({
      cassette, index, interaction, key: conversationKey(interaction.request.body),
    })),
  );
}

/**
 * How a request differs from a candidate, and how many messages agree position by position (so
 * among equally different candidates the one sharing most of the conversation, as round two of
 * the same flow does, is named closest).
 */
function describeDifference(query: MatchQuery, candidate: IndexedInteraction): { differences: string[]; shared: number } {
  const differences: string[] = [];
  const recorded = candidate.interaction.request;
  if (recorded.operation !== query.operation) differences.push(`operation: got ${query.operation}, recorded ${recorded.operation}`);
  if (recorded.modelId !== query.modelId) differences.push(`model id: got '${query.modelId}', recorded '${recorded.modelId}'`);
  const got = conversationOf(query.body);
  const want = conversationOf(recorded.body);
  if (got.length !== want.length) differences.push(`messages: got ${got.length}, recorded ${want.length}`);
  const first = got.findIndex((m, i) => stableJson(m) !== stableJson(want[i]));
  if (first >= 0 && first < want.length) {
    differences.push(`messages[${first}]: got ${stableJson(got[first]).slice(0, 300)}, recorded ${stableJson(want[first]).slice(0, 300)}`);
  }
  return { differences, shared: got.filter((m, i) => i < want.length && stableJson(m) === stableJson(want[i])).length };
}

/** A cassette path relative to the working directory, as a user would type it. */
function shortPath(file: string): string {
  return isAbsolute(file) ? relative(process.cwd(), file) || file : file;
}

/**
 * Finds an interaction with the same operation, model id and conversation. When several match
 * (a request recorded twice, as in a prompt-caching recording), repeats are answered in recorded
 * order: the n-th identical request gets the n-th interaction, then it starts over. `seen`
 * counts the identical requests so far and belongs to the mock instance; `preferred` holds the
 * cassette ids a runner is driving right now.
 */
export function matchInteraction(
  index: IndexedInteraction[], query: MatchQuery, seen = new Map<string, number>(), preferred: ReadonlySet<string> = new Set(),
): MatchResult {
  const key = conversationKey(query.body);
  const all = index.filter((c) =>
    c.key === key && c.interaction.request.operation === query.operation && c.interaction.request.modelId === query.modelId);
  // Two cassettes may hold the same request (two recordings of one prompt); a runner driving one
  // of them names it as preferred so the answer is that cassette's.
  const pinned = all.filter((c) => preferred.has(c.cassette.id));
  const matches = pinned.length > 0 ? pinned : all;
  if (matches.length === 1) return { ok: true, found: matches[0]! };
  if (matches.length > 1) {
    const seenKey = `${query.operation} ${query.modelId} ${key}`;
    const n = seen.get(seenKey) ?? 0;
    seen.set(seenKey, n + 1);
    return { ok: true, found: matches[n % matches.length]! };
  }
  if (index.length === 0) return { ok: false, reason: 'no cassettes are loaded' };
  let best: { candidate: IndexedInteraction; differences: string[]; shared: number } | undefined;
  for (const candidate of index) {
    const { differences, shared } = describeDifference(query, candidate);
    const closer = !best || differences.length < best.differences.length
      || (differences.length === best.differences.length && shared > best.shared);
    if (closer) best = { candidate, differences, shared };
  }
  const { candidate, differences } = best!;
  return {
    ok: false,
    reason: `no cassette matches ${query.operation} for '${query.modelId}'. Closest: ${shortPath(candidate.cassette.file)} interaction ${candidate.index} (${differences.join('; ')})`,
  };
}
