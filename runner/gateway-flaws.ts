// Deliberate bugs the reference gateway can be started with, each one a real gateway failure from
// WIRE.md, so tests (and demos: `--gateway builtin:<flaw>`) prove the suites catch it.

/** The flaws, by name. */
export const GATEWAY_FLAWS = [
  'no-resign',
  'buffer-response',
  'rechunk-utf8',
  'drop-exceptions',
  'single-encoded-path',
  'leak-client-headers',
  'host-without-port',
] as const;
export type GatewayFlaw = (typeof GATEWAY_FLAWS)[number];

/** What each flaw does, in the words of the gateway bug it imitates. */
export const FLAW_DESCRIPTIONS: Record<GatewayFlaw, string> = {
  'no-resign': "forwards the client's signature and dummy credentials instead of re-signing",
  'buffer-response': 'collects the whole upstream response before writing any of it',
  'rechunk-utf8': 'decodes each network read of event payloads as UTF-8 on its own and re-frames, mangling characters split across reads',
  'drop-exceptions': 'drops mid-stream exception frames and ends the response cleanly',
  'single-encoded-path': "signs the decoded path, so ':' in a model id is signed singly-encoded",
  'leak-client-headers': "forwards the client's x-amz-security-token upstream",
  'host-without-port': "signs the upstream's host without its port, as Kong and Portkey do (real AWS on 443 hides it)",
};

/** Parses a comma-separated flaw list (`rechunk-utf8,drop-exceptions`). */
export function parseFlaws(text: string): { ok: true; flaws: GatewayFlaw[] } | { ok: false; reason: string } {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(GATEWAY_FLAWS as readonly string[]).includes(name));
  if (unknown.length > 0) return { ok: false, reason: `unknown gateway flaw '${unknown.join("', '")}'; flaws: ${GATEWAY_FLAWS.join(', ')}` };
  return { ok: true, flaws: names as GatewayFlaw[] };
}
