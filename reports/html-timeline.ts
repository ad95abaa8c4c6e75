// The streaming timeline picture: frames the mock sent vs events the client got, on one ms axis,
// so a gateway that buffers (everything arrives at the end) is visible at a glance.
import { htmlEscape } from './html-escape.ts';
import type { TimelinePoint } from './results.ts';
import { formatMs, truncate } from './report-text.ts';

const WIDTH = 960;
const LEFT = 170;
const RIGHT = 40;
const SENT_Y = 62;
const RECEIVED_Y = 142;
const AXIS_Y = 196;
const HEIGHT = 236;
const CHAR_PX = 6; // average glyph width of the 10px label font
const CLUSTER_PX = 4; // markers closer than this read as one burst

interface Placed { point: TimelinePoint; x: number }

/** Draws the two-lane SVG (inline, no external references); `title` names it for screen readers. */
export function renderTimelineSvg(points: TimelinePoint[], title: string): string {
  const valid = points.filter((p) => Number.isFinite(p.at));
  const { scale, ticks } = axis(valid);
  const lane = (side: TimelinePoint['side']): Placed[] =>
    valid.filter((p) => p.side === side).sort((a, b) => a.at - b.at).map((point) => ({ point, x: scale(point.at) }));
  const sent = lane('sent');
  const received = lane('received');
  const parts = [
    `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-label="${htmlEscape(title)}">`,
    `<title>${htmlEscape(title)}</title>`,
    ...spans(sent, SENT_Y, 'sent'),
    ...spans(received, RECEIVED_Y, 'received'),
    ...connectors(sent, received),
    ...laneLine(SENT_Y, `mock sent (${sent.length})`, 'sent'),
    ...laneLine(RECEIVED_Y, `client received (${received.length})`, 'received'),
    ...markers(sent, SENT_Y, 'sent', -1),
    ...markers(received, RECEIVED_Y, 'received', 1),
    `<line class="axis" x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - RIGHT}" y2="${AXIS_Y}" stroke="#555"/>`,
    ...ticks.map((t) => `<line x1="${scale(t)}" y1="${AXIS_Y}" x2="${scale(t)}" y2="${AXIS_Y + 5}" stroke="#555"/><text class="tick" x="${scale(t)}" y="${AXIS_Y + 17}" text-anchor="middle" font-size="10" fill="#333">${t}</text>`),
    `<text x="${(LEFT + WIDTH - RIGHT) / 2}" y="${HEIGHT - 4}" text-anchor="middle" font-size="11" fill="#333">ms since the request was sent</text>`,
  ];
  if (valid.length === 0) parts.push(`<text x="${WIDTH / 2}" y="${(SENT_Y + RECEIVED_Y) / 2}" text-anchor="middle" font-size="12" fill="#888">no timeline points recorded</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Plain-language facts under the picture: spreads and first-event delay. */
export function timelineFacts(points: TimelinePoint[]): string[] {
  const times = (side: TimelinePoint['side']) => points.filter((p) => p.side === side && Number.isFinite(p.at)).map((p) => p.at);
  const sent = times('sent');
  const received = times('received');
  const facts: string[] = [];
  const range = (list: number[], what: string, verb: string) => {
    if (list.length > 0) facts.push(`${list.length} ${what} ${verb} between ${formatMs(Math.min(...list))} and ${formatMs(Math.max(...list))} (spread ${formatMs(Math.max(...list) - Math.min(...list))})`);
    else facts.push(`no ${what} ${verb}`);
  };
  range(sent, 'frames', 'sent by the mock');
  range(received, 'events', 'received by the client');
  if (sent.length > 0 && received.length > 0) {
    facts.push(`first event reached the client ${formatMs(Math.min(...received) - Math.min(...sent))} after the mock sent the first frame`);
  }
  return facts;
}

function axis(points: TimelinePoint[]): { scale: (t: number) => number; ticks: number[] } {
  const lo = Math.min(0, ...points.map((p) => p.at));
  const hi = Math.max(lo + 1, ...points.map((p) => p.at));
  const raw = (hi - lo) / 8;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const start = Math.floor(lo / step) * step;
  const end = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let t = start; t <= end + step / 1e6; t += step) ticks.push(Number(t.toPrecision(12)));
  const scale = (t: number) => round(LEFT + ((t - start) / (end - start)) * (WIDTH - LEFT - RIGHT));
  return { scale, ticks };
}

function laneLine(y: number, label: string, cls: string): string[] {
  return [
    `<line class="lane lane-${cls}" x1="${LEFT}" y1="${y}" x2="${WIDTH - RIGHT}" y2="${y}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    `<text class="lane-label" x="${LEFT - 10}" y="${y + 4}" text-anchor="end" font-size="12" font-weight="600" fill="#222">${htmlEscape(label)}</text>`,
  ];
}

// A light band from the first to the last point of a lane: compare the two bands' widths.
function spans(lane: Placed[], y: number, cls: string): string[] {
  if (lane.length === 0) return [];
  const x1 = lane[0]!.x;
  const x2 = lane[lane.length - 1]!.x;
  return [`<rect class="span span-${cls}" x="${x1 - 3}" y="${y - 9}" width="${round(x2 - x1 + 6)}" height="18" rx="4" fill="${cls === 'sent' ? '#dbeafe' : '#fde6c8'}"/>`];
}

// Joins each received event to the sent frame it most likely is (same label, in order).
function connectors(sent: Placed[], received: Placed[]): string[] {
  const lines: string[] = [];
  let next = 0;
  for (const r of received) {
    const match = sent.findIndex((s, i) => i >= next && s.point.label === r.point.label);
    if (match < 0) continue;
    next = match + 1;
    lines.push(`<line class="link" x1="${sent[match]!.x}" y1="${SENT_Y + 5}" x2="${r.x}" y2="${RECEIVED_Y - 5}" stroke="#999" stroke-opacity="0.45"/>`);
  }
  return lines;
}

// Markers with hover titles; one visible label per burst, staggered over two rows, none overlapping.
function markers(lane: Placed[], y: number, side: TimelinePoint['side'], direction: -1 | 1): string[] {
  const colour = side === 'sent' ? '#1d4ed8' : '#c2410c';
  const out = lane.map(({ point, x }) =>
    `<circle class="marker marker-${side}" cx="${x}" cy="${y}" r="4" fill="${colour}" fill-opacity="0.75"><title>${htmlEscape(`${truncate(point.label, 200)} @ ${point.at} ms`)}</title></circle>`);
  const rowEnds = [-Infinity, -Infinity];
  for (const burst of bursts(lane)) {
    const first = burst[0]!;
    const text = burst.length > 1 ? `${burst.length} ${side === 'sent' ? 'frames' : 'events'}` : truncate(first.point.label, 28);
    const width = text.length * CHAR_PX;
    const x = Math.min(Math.max(first.x, LEFT + width / 2), WIDTH - width / 2 - 2);
    const row = rowEnds.findIndex((end) => x - width / 2 >= end + 6);
    if (row < 0) continue;
    rowEnds[row] = x + width / 2;
    const ty = y + direction * (16 + row * 13) + (direction > 0 ? 4 : 0);
    const weight = burst.length > 1 ? ' font-weight="700"' : '';
    out.push(`<text class="label label-${side}" x="${round(x)}" y="${ty}" text-anchor="middle" font-size="10"${weight} fill="${colour}">${htmlEscape(text)}</text>`);
  }
  return out;
}

function bursts(lane: Placed[]): Placed[][] {
  const groups: Placed[][] = [];
  for (const placed of lane) {
    const last = groups[groups.length - 1];
    if (last && placed.x - last[last.length - 1]!.x < CLUSTER_PX) last.push(placed);
    else groups.push([placed]);
  }
  return groups;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
