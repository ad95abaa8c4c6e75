// Which operation and model a raw request target names: /model/{modelId}/{operation}.
import { OPERATIONS, type Operation } from './wire-constants.ts';

export type ParsedTarget =
  | { ok: true; operation: Operation; modelId: string; rawModelId: string }
  | { ok: false; reason: string };

/**
 * Parses the raw target (Node's req.url, still percent-encoded). The model id may arrive with
 * `:` and `/` encoded (what the SDKs send) or raw (what some gateways send); both name the same model.
 */
export function parseRequestTarget(target: string): ParsedTarget {
  const path = target.split('?')[0] ?? '';
  if (!path.startsWith('/model/')) return { ok: false, reason: `path '${path}' does not start with /model/` };
  const rest = path.slice('/model/'.length);
  const cut = rest.lastIndexOf('/');
  if (cut <= 0) return { ok: false, reason: `path '${path}' has no model id or no operation` };
  const operation = rest.slice(cut + 1);
  if (!(OPERATIONS as readonly string[]).includes(operation)) {
    return { ok: false, reason: `unknown operation '${operation}' (expected one of ${OPERATIONS.join(', ')})` };
  }
  const rawModelId = rest.slice(0, cut);
  let modelId: string;
  try {
    modelId = decodeURIComponent(rawModelId);
  } catch {
    return { ok: false, reason: `model id '${rawModelId}' is not valid percent-encoding` };
  }
  return { ok: true, operation: operation as Operation, modelId, rawModelId };
}
