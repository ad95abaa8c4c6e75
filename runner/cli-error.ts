// Usage and setup errors: a message for the user and the exit code DESIGN.md gives them.

/** Exit code for usage or setup errors (DESIGN.md). */
export const EXIT_USAGE = 2;

/** A bad flag, a missing file, a gateway that is down: say what and how to fix it, exit 2. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = EXIT_USAGE) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}
