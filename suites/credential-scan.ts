// Looks through everything the upstream received for the client's credentials. Names what leaked
// and where, never the value.
import type { RequestRecord } from '../mock-bedrock/request-log.ts';
import type { ClientSecret } from './client-auth.ts';

const SIGNATURE = /Signature=([0-9a-fA-F]{64})/g;

function found(text: string, where: string, secrets: readonly ClientSecret[], signatureAllowed: boolean): string[] {
  const leaks = secrets.filter((s) => s.value !== '' && text.includes(s.value)).map((s) => `${s.label} in ${where}`);
  if (!signatureAllowed && [...text.matchAll(SIGNATURE)].length > 0) {
    leaks.push(`a SigV4 signature in ${where} (only the gateway's own Authorization header may carry one: the client's signature was forwarded)`);
  }
  return leaks;
}

/**
 * Every place in `records` (header names and values, bodies) holding one of `secrets` or a
 * forwarded signature. The `authorization` header's own signature is the gateway's and allowed.
 */
export function scanForClientCredentials(records: readonly RequestRecord[], secrets: readonly ClientSecret[]): string[] {
  const leaks: string[] = [];
  for (const record of records) {
    const at = `request ${record.seq} (${record.method} ${record.target})`;
    for (const [name, value] of Object.entries(record.headers)) {
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      for (const v of values) leaks.push(...found(`${name}: ${v}`, `header ${name} of ${at}`, secrets, name.toLowerCase() === 'authorization'));
    }
    leaks.push(...found(Buffer.from(record.body).toString('utf8'), `the body of ${at}`, secrets, false));
  }
  return [...new Set(leaks)];
}
