// Where an event stream can be cut, named the way a parser sees it, and seeded random cuts
// biased toward the places stream readers get wrong.
import type { SplitPlan } from './fault-plan.ts';
import { mulberry32, pickWeighted, randomInt } from './seeded-random.ts';

/** Kinds of cut site; `utf8` is a payload cut that falls between the bytes of one character. */
export const CUT_KINDS = ['frame-boundary', 'length-prefix', 'prelude', 'headers', 'payload', 'utf8', 'message-crc'] as const;
export type CutKind = (typeof CUT_KINDS)[number];

/** One cut: stream offset (the cut is before that byte), its kind, its frame and bytes of that frame before it. */
export interface CutSite {
  offset: number;
  kind: CutKind;
  frame: number;
  byteInFrame: number;
}

/** How often a random cut goes to each kind (when the stream has one): the prelude and UTF-8 dominate. */
const RANDOM_WEIGHTS = { 'length-prefix': 3, prelude: 2, headers: 1, payload: 1, utf8: 2, 'message-crc': 2 } as const;
type DrawnKind = keyof typeof RANDOM_WEIGHTS;
const DRAWN_KINDS = Object.keys(RANDOM_WEIGHTS) as DrawnKind[];

interface FrameSpan {
  start: number;
  /** Bytes present in the stream (less than `total` for a truncated last frame). */
  length: number;
  /** Length the prelude declares. */
  total: number;
  headersLength: number;
}

function frameSpans(frames: readonly Uint8Array[]): FrameSpan[] {
  let start = 0;
  return frames.map((frame) => {
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const declared = frame.length >= 4 ? view.getUint32(0) : 0;
    const total = declared >= 16 ? declared : Math.max(frame.length, 16);
    const headersLength = frame.length >= 8 ? Math.min(view.getUint32(4), total - 16) : 0;
    const span = { start, length: frame.length, total, headersLength };
    start += frame.length;
    return span;
  });
}

function insideUtf8(frame: Uint8Array, payloadStart: number, rel: number): boolean {
  if ((frame[rel] & 0xc0) !== 0x80) return false;
  for (let back = rel - 1; back >= Math.max(payloadStart, rel - 3); back--) {
    if ((frame[back] & 0xc0) !== 0x80) return frame[back] >= 0xc2 && frame[back] <= 0xf4;
  }
  return false;
}

function kindAt(frame: Uint8Array, span: FrameSpan, rel: number): CutKind {
  if (rel === 0) return 'frame-boundary';
  if (rel < 4) return 'length-prefix';
  if (rel <= 12) return 'prelude';
  const payloadStart = 12 + span.headersLength;
  if (rel <= payloadStart) return 'headers';
  const crcStart = span.total - 4;
  if (rel < crcStart) return insideUtf8(frame, payloadStart, rel) ? 'utf8' : 'payload';
  return rel === crcStart ? 'payload' : 'message-crc';
}

/** What a cut at `offset` of the concatenated frames splits; undefined outside (0, stream length). */
export function classifyCut(frames: readonly Uint8Array[], offset: number): CutSite | undefined {
  const spans = frameSpans(frames);
  const index = spans.findIndex((s) => offset >= s.start && offset < s.start + s.length);
  if (offset <= 0 || index < 0) return undefined;
  const rel = offset - spans[index].start;
  return { offset, kind: kindAt(frames[index], spans[index], rel), frame: index, byteInFrame: rel };
}

/** Where cuts of one kind can go inside one frame (relative to its start): a range or a list. */
type Candidates = { low: number; high: number } | { list: number[] };

function candidates(frame: Uint8Array, span: FrameSpan, kind: DrawnKind): Candidates | undefined {
  const payloadStart = 12 + span.headersLength;
  const last = span.length - 1;
  const range = (low: number, high: number) => (low <= Math.min(high, last) ? { low, high: Math.min(high, last) } : undefined);
  switch (kind) {
    case 'length-prefix': return range(1, 3);
    case 'prelude': return range(4, 12);
    case 'headers': return range(13, payloadStart);
    case 'payload': return range(payloadStart + 1, span.total - 4);
    case 'message-crc': return range(span.total - 3, span.total - 1);
    case 'utf8': {
      const list: number[] = [];
      for (let rel = payloadStart + 1; rel < Math.min(span.total - 4, span.length); rel++) {
        if (insideUtf8(frame, payloadStart, rel)) list.push(rel);
      }
      return list.length > 0 ? { list } : undefined;
    }
  }
}

/**
 * The cuts of a `random` split plan: each frame boundary kept with probability 1/2 (so runs of
 * frames coalesce into one write), plus `cuts` cuts drawn by RANDOM_WEIGHTS. Same seed, same cuts.
 */
export function randomCuts(frames: readonly Uint8Array[], seed: number, cuts: number): CutSite[] {
  const next = mulberry32(seed);
  const spans = frameSpans(frames);
  const offsets = new Set<number>();
  for (let i = 1; i < spans.length; i++) if (spans[i].length > 0 && next() < 0.5) offsets.add(spans[i].start);
  const byKind = DRAWN_KINDS.map((kind) => spans.flatMap((span, i) => {
    const at = candidates(frames[i], span, kind);
    return at ? [{ start: span.start, at }] : [];
  }));
  const weights = DRAWN_KINDS.map((kind, k) => (byKind[k].length > 0 ? RANDOM_WEIGHTS[kind] : 0));
  for (let c = 0; c < cuts; c++) {
    const k = pickWeighted(next, weights);
    if (k < 0) break;
    const { start, at } = byKind[k][randomInt(next, 0, byKind[k].length)];
    offsets.add(start + ('list' in at ? at.list[randomInt(next, 0, at.list.length)] : randomInt(next, at.low, at.high + 1)));
  }
  return [...offsets].sort((a, b) => a - b).map((offset) => classifyCut(frames, offset)!);
}

function siteWords(site: CutSite, span: FrameSpan): string {
  const f = `frame ${site.frame}`;
  const rel = site.byteInFrame;
  const hl = span.headersLength;
  const pl = span.total - 16 - hl;
  switch (site.kind) {
    case 'frame-boundary': return `between frame ${site.frame - 1} and frame ${site.frame}`;
    case 'length-prefix': return `after byte ${rel} of ${f}'s 4-byte length prefix`;
    case 'prelude':
      if (rel === 4) return `after ${f}'s length prefix`;
      if (rel < 8) return `after byte ${rel - 4} of ${f}'s 4-byte headers-length field`;
      if (rel === 8) return `after ${f}'s headers-length field`;
      return rel < 12 ? `after byte ${rel - 8} of ${f}'s 4-byte prelude CRC` : `after ${f}'s 12-byte prelude`;
    case 'headers': return rel === 12 + hl ? `after ${f}'s ${hl}-byte headers` : `after byte ${rel - 12} of ${f}'s ${hl}-byte headers`;
    case 'payload': return rel - 12 - hl === pl ? `after ${f}'s ${pl}-byte payload` : `after byte ${rel - 12 - hl} of ${f}'s ${pl}-byte payload`;
    case 'utf8': return `after byte ${rel - 12 - hl} of ${f}'s ${pl}-byte payload, inside a multi-byte UTF-8 character`;
    case 'message-crc': return `after byte ${rel - (span.total - 4)} of ${f}'s 4-byte message CRC`;
  }
}

/** One cut in words, e.g. "cut at stream byte 1234, after byte 2 of frame 3's 4-byte length prefix". */
export function describeCut(frames: readonly Uint8Array[], offset: number): string {
  const site = classifyCut(frames, offset);
  if (!site) return `cut at stream byte ${offset}, outside the stream (ignored)`;
  return `cut at stream byte ${offset}, ${siteWords(site, frameSpans(frames)[site.frame])}`;
}

function cutList(frames: readonly Uint8Array[], offsets: readonly number[], limit = 12): string {
  if (offsets.length === 0) return 'no cuts (one write)';
  const shown = offsets.slice(0, limit).map((o) => describeCut(frames, o));
  return shown.join('; ') + (offsets.length > limit ? `; … and ${offsets.length - limit} more` : '');
}

/** A split plan in words over the frames it applies to, so a minimal counterexample reads as a sentence. */
export function describeSplit(plan: SplitPlan | undefined, frames: readonly Uint8Array[]): string {
  if (!plan || plan.kind === 'frames') return `one write per frame (${frames.length} writes)`;
  switch (plan.kind) {
    case 'drip': return plan.size === 1 ? 'one byte per write' : `${plan.size} bytes per write`;
    case 'coalesce': return `${plan.frames} frames per write`;
    case 'offsets': return `writes split by ${cutList(frames, [...plan.offsets].sort((a, b) => a - b))}`;
    case 'random': {
      const offsets = randomCuts(frames, plan.seed, plan.cuts).map((site) => site.offset);
      return `random split (seed ${plan.seed}, ${plan.cuts} cuts): ${cutList(frames, offsets)}`;
    }
  }
}
