// The checks AWS makes on the Credential scope before it computes anything: shape, region,
// service, terminator, date, then the access key id. Messages in AWS's wording.
import { parseCredential } from './sigv4-authorization.ts';
import type { CredentialScope } from './sigv4-authorization.ts';
import { INVALID_TOKEN_MESSAGE, maskKeyId, reject } from './sigv4-errors.ts';
import type { SigV4Failure } from './sigv4-errors.ts';
import type { RequestDate } from './sigv4-date.ts';

/** What the mock expects the scope to say. */
export interface ExpectedScope {
  accessKeyId: string;
  region: string;
  service: string;
}

/** Validates the Credential value; returns the parsed scope or AWS's rejection. */
export function checkCredentialScope(credential: string, date: RequestDate, expected: ExpectedScope): CredentialScope | SigV4Failure {
  const scope = parseCredential(credential);
  if (!scope) {
    return reject(
      'IncompleteSignatureException',
      `credential scope: '${credential.split('/').slice(1).join('/')}' does not have 5 parts (keyid/date/region/service/aws4_request)`,
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  }
  const messages: string[] = [];
  const reasons: string[] = [];
  if (scope.region !== expected.region) {
    messages.push(`Credential should be scoped to a valid region, not '${scope.region}'. `);
    reasons.push(`region '${scope.region}' where the mock is '${expected.region}'`);
  }
  if (scope.service !== expected.service) {
    messages.push(`Credential should be scoped to correct service: '${expected.service}'. `);
    reasons.push(`service '${scope.service}' where Bedrock Runtime signs as '${expected.service}'`);
  }
  if (scope.terminator !== 'aws4_request') {
    messages.push(`Credential should be scoped with a valid terminator: 'aws4_request', not '${scope.terminator}'. `);
    reasons.push(`terminator '${scope.terminator}'`);
  }
  const dateDay = date.longDate.slice(0, 8);
  if (scope.date !== dateDay) {
    messages.push(
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scope.date}' != '${dateDay}', from '${date.longDate}'.`,
    );
    reasons.push(`scope date '${scope.date}' differs from ${date.header} '${date.longDate}'`);
  }
  if (messages.length > 0) {
    return reject('InvalidSignatureException', `credential scope: ${reasons.join('; ')}`, messages.join(''));
  }
  if (scope.accessKeyId !== expected.accessKeyId) {
    return reject(
      'UnrecognizedClientException',
      `unknown access key id ${maskKeyId(scope.accessKeyId)}; the mock expects ${maskKeyId(expected.accessKeyId)} (did the gateway re-sign with the mock's credentials?)`,
      INVALID_TOKEN_MESSAGE,
    );
  }
  return scope;
}
