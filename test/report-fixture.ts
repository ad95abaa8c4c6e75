// A realistic run for the report tests: passes, fails with counterexamples, a skip, timelines built
// from a real 25-frame Bedrock capture, and hostile gateway text everywhere a gateway can reach.
import { readFileSync } from 'node:fs';
import { decodeMessage, splitFrames } from '../mock-bedrock/event-codec.ts';
import { summarize } from '../reports/results.ts';
import type { CheckResult, RunResults, TimelinePoint } from '../reports/results.ts';

const CAPTURE = new URL('../../shared/captures/envoy-ai-gateway/claude-converse-stream-tool-use.bin', import.meta.url);

/** Text a hostile or broken gateway could put in an error message. */
export const HOSTILE = 'upstream said </script><img src="https://evil.example/x.png" onerror=alert(1)> ]]> \u0000\u001b[31mred\u0007 \u202Egnp.exe';

/** The ConverseStream event types of the real capture, in wire order. */
export function captureEventTypes(): string[] {
  const { frames } = splitFrames(new Uint8Array(readFileSync(CAPTURE)));
  return frames.map((frame) => String(decodeMessage(frame).headers[':event-type']?.value));
}

/** Mock sends every 60 ms; the client gets each event `delay(i)` ms after the mock sent it. */
function timeline(labels: string[], received: (i: number, sentAt: number) => number): TimelinePoint[] {
  const points: TimelinePoint[] = [];
  labels.forEach((label, i) => {
    const sentAt = i * 60;
    points.push({ at: sentAt, side: 'sent', label }, { at: received(i, sentAt), side: 'received', label });
  });
  return points;
}

/** Seven checks over four suites: 3 pass, 3 fail, 1 skip. */
export function buildRunResults(): RunResults {
  const labels = captureEventTypes();
  const checks: CheckResult[] = [
    {
      id: 'streaming/first-event-latency', suite: 'streaming', status: 'pass', durationMs: 1480,
      message: 'events reached the client as the mock sent them (max lag 4 ms)',
      timeline: timeline(labels, (i, at) => at + 3 + (i % 2)),
    },
    {
      id: 'streaming/no-buffering', suite: 'streaming', status: 'fail', durationMs: 1530,
      message: 'gateway buffered the stream: first event arrived 1502 ms after the first frame was sent',
      evidence: ['mock wrote 25 frames over 1440 ms', 'client received all 25 events between 1502 ms and 1507 ms', 'x'.repeat(10_000)],
      timeline: timeline(labels, (i) => 1502 + i * 0.2),
    },
    {
      id: 'streaming/frames-split-anywhere', suite: 'streaming', status: 'fail', durationMs: 9120,
      message: 'client got "Truncated event message received." when a frame was split inside its length prefix',
      evidence: ['frame 3 (218 bytes) split after byte 2 of the prelude', 'gateway closed the response after 3 frames'],
      counterexample: { words: 'split the stream after byte 2 of frame 3 (inside the 4-byte total length)', value: { frame: 3, splitAt: [2], writes: [[0, 501], [501, 503], [503, 4870]] }, seed: 1_706_543_210, path: '12:0:0' },
    },
    {
      id: 'errors/mid-stream-throttling', suite: 'errors', status: 'fail', durationMs: 210,
      message: `mid-stream throttlingException was swallowed; ${HOSTILE}`,
      evidence: [`last bytes from gateway: ${HOSTILE}`, 'expected :message-type exception frame with :exception-type throttlingException'],
      counterexample: { words: `exception after frame 1 of 2; gateway text: ${HOSTILE}`, value: { afterFrame: 1, text: HOSTILE }, seed: 42 },
    },
    { id: 'sigv4/colon-in-model-id', suite: 'sigv4', status: 'pass', durationMs: 35, message: 'cohere.command-r-v1:0 re-signed with %253A in the canonical path' },
    { id: 'sigv4/host-without-port', suite: 'sigv4', status: 'skip', message: 'profile says the gateway signs host without the port; accepted and reported separately' },
    { id: 'tool-use/second-round', suite: 'tool-use', status: 'pass', durationMs: 640, message: 'toolResult round accepted; final answer streamed' },
  ];
  return {
    version: 1,
    gateway: { kind: 'external', url: 'http://127.0.0.1:8000', description: 'Kong ai-proxy-advanced (llm_format: bedrock)' },
    startedAt: '2025-06-01T12:00:00.000Z',
    durationMs: 13_015,
    seed: 1_706_543_210,
    runs: 100,
    checks,
    summary: summarize(checks),
  };
}
