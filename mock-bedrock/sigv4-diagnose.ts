// When a signature does not verify, re-sign the request the ways gateways are known to get it wrong
// (host without port, host of the real endpoint, path encoded 0/1/3 times, another method) and say
// which one the gateway used. A pure search over smithy computations: no second canonicaliser.
import { canonicalPathOf, computeSigV4, signaturesEqual } from './sigv4-canonical.ts';
import type { SigningInputs, SigningResult } from './sigv4-canonical.ts';
import { encodingName, pathVariants } from './sigv4-target.ts';

/** One way the gateway's signing differed from AWS's, with the sentence that explains it. */
export interface SigningChange {
  what: 'host-without-port' | 'host-of-aws-endpoint' | 'path-encoding' | 'method';
  text: string;
  /** For host-without-port: the port the signature left out. */
  port?: string;
}

/** Inputs for the search: the request as AWS canonicalises it and the signature the client sent. */
export interface MismatchContext {
  base: SigningInputs;
  expected: SigningResult;
  provided: string;
  /** The signed host-like header (`host`, or `:authority` over HTTP/2), when there is one. */
  hostHeader?: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD'];

/** Strips a trailing `:port` (IPv6 literals in brackets keep their colons). */
export function splitHostPort(host: string): { host: string; port: string } | undefined {
  const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(host);
  return m ? { host: m[1]!, port: m[2]! } : undefined;
}

interface HostAlternative {
  value: string;
  change: SigningChange;
}

function hostAlternatives(ctx: MismatchContext): HostAlternative[] {
  const name = ctx.hostHeader;
  if (name === undefined) return [];
  const sent = ctx.base.headers[name] ?? '';
  const out: HostAlternative[] = [];
  const split = splitHostPort(sent);
  if (split) {
    const text = `host signed without port ${split.port} ('${split.host}' where the request carries '${sent}'; Kong and Portkey do this)`;
    out.push({ value: split.host, change: { what: 'host-without-port', text, port: split.port } });
  }
  const aws = `bedrock-runtime.${ctx.base.region}.amazonaws.com`;
  if (sent !== aws) {
    const text = `${name} signed as the AWS endpoint '${aws}' but the request carries '${sent}' (sign the host the request is sent to)`;
    out.push({ value: aws, change: { what: 'host-of-aws-endpoint', text } });
  }
  return out;
}

async function pathAlternatives(ctx: MismatchContext): Promise<Array<{ inputs: Partial<SigningInputs>; change: SigningChange }>> {
  const correctPath = canonicalPathOf(ctx.expected.canonicalRequest);
  const seen = new Set([correctPath]);
  const candidates: Array<{ encodings: number; inputs: Partial<SigningInputs>; canonical: string }> = [];
  let expectedName: string | undefined;
  for (const v of pathVariants(ctx.base.path)) {
    const inputs = { path: v.path, escapePath: v.escape };
    const canonical = canonicalPathOf((await computeSigV4({ ...ctx.base, ...inputs })).canonicalRequest);
    if (canonical === correctPath) expectedName = encodingName(v.encodings);
    if (seen.has(canonical)) continue;
    seen.add(canonical);
    candidates.push({ encodings: v.encodings, inputs, canonical });
  }
  const expectedText = expectedName ? ` (${expectedName})` : '';
  return candidates.map((c) => ({
    inputs: c.inputs,
    change: {
      what: 'path-encoding',
      text:
        `path encoding: the gateway signed the path ${encodingName(c.encodings)} ('${c.canonical}'), but for the request ` +
        `target path '${ctx.base.path}' AWS's canonical path is '${correctPath}'${expectedText}`,
    },
  }));
}

async function matches(ctx: MismatchContext, change: Partial<SigningInputs>): Promise<boolean> {
  const result = await computeSigV4({ ...ctx.base, ...change });
  return signaturesEqual(result.signature, ctx.provided);
}

/**
 * The smallest set of known gateway mistakes that makes the provided signature verify
 * (host and path mistakes together, or a different method alone); undefined when none does.
 */
export async function findSigningDifference(ctx: MismatchContext): Promise<SigningChange[] | undefined> {
  const hosts: Array<HostAlternative | undefined> = [undefined, ...hostAlternatives(ctx)];
  const paths = [undefined, ...(await pathAlternatives(ctx))];
  for (const path of paths) {
    for (const host of hosts) {
      if (!path && !host) continue;
      const headers = host && ctx.hostHeader ? { ...ctx.base.headers, [ctx.hostHeader]: host.value } : ctx.base.headers;
      if (await matches(ctx, { ...path?.inputs, headers })) {
        return [host?.change, path?.change].filter((c): c is SigningChange => c !== undefined);
      }
    }
  }
  for (const method of METHODS) {
    if (method === ctx.base.method) continue;
    if (await matches(ctx, { method })) {
      return [{ what: 'method', text: `method: signed as ${method} but the request came as ${ctx.base.method}` }];
    }
  }
  return undefined;
}
