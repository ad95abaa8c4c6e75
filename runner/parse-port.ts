// Port flags: a clear error instead of NaN reaching listen().
import { CliError } from './cli-error.ts';

/** Parses a TCP port (0 means any free port). */
export function parsePort(value: string | undefined, flag: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`${flag} must be a port number 0-65535, got '${value}'`);
  return port;
}
