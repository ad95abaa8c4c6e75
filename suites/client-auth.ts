// The client's credentials per kind, and the values that must never travel past the gateway.
import type { ClientAuth } from './client-driver.ts';
import type { CredentialKind } from './sigv4-case-arbitrary.ts';
import type { SuiteContext } from './suite.ts';

/** Dummy session token for temporary credentials when the context gives none (not a secret). */
export const DUMMY_SESSION_TOKEN = `bedrock-conformance-client-session-token-${'x'.repeat(24)}`;

/** Dummy Bedrock API key: `ABSK` plus base64 text, the shape Bedrock expects (not a secret). */
export const DUMMY_API_KEY = `ABSK${Buffer.from('bedrock-conformance dummy client api key').toString('base64')}`;

/** How the client signs for a credential kind, built from the context's dummy keys. */
export function clientAuth(ctx: Pick<SuiteContext, 'clientCredentials'>, kind: CredentialKind): ClientAuth {
  const { accessKeyId, secretAccessKey, sessionToken } = ctx.clientCredentials;
  switch (kind) {
    case 'long-term': return { kind: 'sigv4', accessKeyId, secretAccessKey };
    case 'temporary': return { kind: 'sigv4', accessKeyId, secretAccessKey, sessionToken: sessionToken ?? DUMMY_SESSION_TOKEN };
    case 'bearer': return { kind: 'bearer', token: DUMMY_API_KEY };
  }
}

/** A value the upstream must never see, with a name for messages (the value itself is never shown). */
export interface ClientSecret {
  label: string;
  value: string;
}

/** The client's credential values for `auth`: access key id, secret, session token, or API key. */
export function clientSecrets(auth: ClientAuth): ClientSecret[] {
  if (auth.kind === 'bearer') return [{ label: "the client's Bearer API key", value: auth.token }];
  const secrets = [
    { label: "the client's access key id", value: auth.accessKeyId },
    { label: "the client's secret access key", value: auth.secretAccessKey },
  ];
  if (auth.sessionToken) secrets.push({ label: "the client's session token", value: auth.sessionToken });
  return secrets;
}
