// Request dates as SigV4 uses them: ISO-8601 basic format, and AWS's clock-skew wording.

const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The last value parsed: a busy client signs many requests within the same second. */
let lastParsed: { value: string; time: number | undefined } | undefined;

/** Parses `YYYYMMDDTHHMMSSZ`; undefined for anything else, including impossible dates. */
export function parseAmzDate(value: string): Date | undefined {
  if (lastParsed?.value !== value) lastParsed = { value, time: parseUncached(value)?.getTime() };
  return lastParsed.time === undefined ? undefined : new Date(lastParsed.time);
}

function parseUncached(value: string): Date | undefined {
  const m = BASIC_FORMAT.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return toAmzDate(date) === value ? date : undefined;
}

/** Formats a date as `YYYYMMDDTHHMMSSZ` (seconds precision, UTC). */
export function toAmzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** The signing date of a request and the literal that goes into the string-to-sign. */
export interface RequestDate {
  date: Date;
  longDate: string;
  /** Which header it came from, for messages. */
  header: 'x-amz-date' | 'date';
}

/**
 * Reads the signing date: `x-amz-date` (basic format) wins, else an HTTP `Date` header.
 * `{ malformed }` carries the raw value AWS quotes back when it cannot parse it.
 */
export function readRequestDate(amzDate: string | undefined, httpDate: string | undefined): RequestDate | { malformed: string } | undefined {
  if (amzDate !== undefined) {
    const date = parseAmzDate(amzDate);
    return date ? { date, longDate: amzDate, header: 'x-amz-date' } : { malformed: amzDate };
  }
  if (httpDate !== undefined) {
    const ms = Date.parse(httpDate);
    if (Number.isNaN(ms)) return { malformed: httpDate };
    const date = new Date(Math.floor(ms / 1000) * 1000);
    return { date, longDate: toAmzDate(date), header: 'date' };
  }
  return undefined;
}

/** AWS's wording when a signature is outside the allowed skew, or undefined when it is inside. */
export function skewMessage(signed: Date, now: Date, skewMs: number): string | undefined {
  // Inside the skew (the common case) nothing is formatted; an invalid clock still throws below.
  const at = now.getTime();
  if (!Number.isNaN(at) && !(signed.getTime() < at - skewMs) && !(signed.getTime() > at + skewMs)) return undefined;
  const minutes = `${Math.round((skewMs / 60_000) * 100) / 100} min.`;
  const nowText = toAmzDate(now);
  if (signed.getTime() < now.getTime() - skewMs) {
    const earliest = toAmzDate(new Date(now.getTime() - skewMs));
    return `Signature expired: ${toAmzDate(signed)} is now earlier than ${earliest} (${nowText} - ${minutes})`;
  }
  if (signed.getTime() > now.getTime() + skewMs) {
    const latest = toAmzDate(new Date(now.getTime() + skewMs));
    return `Signature not yet current: ${toAmzDate(signed)} is still later than ${latest} (${nowText} + ${minutes})`;
  }
  return undefined;
}
