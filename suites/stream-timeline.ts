// A streaming call drawn as data for the HTML report: frames the mock wrote against events the
// client got, in ms since the request was sent (mock and client share the performance.now() clock).
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { TimelinePoint } from '../reports/results.ts';
import type { CallObservation, ObservedEvent } from './client-driver.ts';

/** An event's label: its type, or for an invoke-stream chunk the model event inside it. */
function eventLabel(event: ObservedEvent): string {
  const inner = (event.value as { type?: unknown } | undefined)?.type;
  return event.type === 'chunk' && typeof inner === 'string' ? `chunk ${inner}` : event.type;
}

/** Sent points (one per mock write, named by the frames it completed) and received points (one per event). */
export function streamTimeline(obs: CallObservation, record: RequestRecord, frameTypes: readonly string[] = []): TimelinePoint[] {
  let done = 0;
  const sent = record.writes.map((w) => {
    const names = frameTypes.slice(done, w.framesDone);
    const label = w.framesDone > done ? `frame ${w.framesDone - 1}${names.length === 1 ? ` ${names[0]}` : ''}` : `${w.bytes} B of frame ${done}`;
    done = w.framesDone;
    return { at: w.t - obs.sentAt, side: 'sent' as const, label };
  });
  const received = obs.events.map((e) => ({ at: e.t - obs.sentAt, side: 'received' as const, label: eventLabel(e) }));
  return [...sent, ...received].map((p) => ({ ...p, at: Math.round(p.at * 10) / 10 })).sort((a, b) => a.at - b.at);
}
