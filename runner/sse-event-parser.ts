// Server-Sent Events split as the WHATWG spec says, fed text as it arrives: an OpenAI-compatible
// stream is only as correct as its event boundaries, and gateways cut them anywhere.

/** One dispatched event: its `event:` type when it had one, and its `data:` lines joined with \n. */
export interface SseEvent {
  event?: string;
  data: string;
}

/** Feed decoded text in any pieces; events come out through the callback as soon as they complete. */
export interface SseEventParser {
  feed(text: string): void;
}

/**
 * Lines end with \n, \r\n or a lone \r; a blank line dispatches the event when it had at least one
 * `data:` line; `:` starts a comment; fields other than `data` and `event` are ignored. An event
 * still open when the input ends is never dispatched (as the spec and the OpenAI SDK do).
 */
export function createSseEventParser(onEvent: (event: SseEvent) => void): SseEventParser {
  let pending = '';
  let skipLf = false;
  let data = '';
  let dataLines = 0;
  let eventType: string | undefined;

  const processLine = (line: string): void => {
    if (line === '') {
      if (dataLines > 0) onEvent(eventType === undefined ? { data } : { event: eventType, data });
      data = '';
      dataLines = 0;
      eventType = undefined;
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    if (field === 'data') {
      data = dataLines === 0 ? value : `${data}\n${value}`;
      dataLines += 1;
    } else if (field === 'event') {
      eventType = value === '' ? undefined : value;
    }
  };

  return {
    feed(text: string): void {
      if (text === '') return;
      let at = skipLf && text.startsWith('\n') ? 1 : 0;
      skipLf = false;
      for (;;) {
        const cr = text.indexOf('\r', at);
        const lf = text.indexOf('\n', at);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) {
          pending += text.slice(at);
          return;
        }
        const line = pending + text.slice(at, end);
        pending = '';
        at = end + 1;
        if (text.charCodeAt(end) === 13) {
          if (at === text.length) skipLf = true;
          else if (text.charCodeAt(at) === 10) at += 1;
        }
        processLine(line);
      }
    },
  };
}
