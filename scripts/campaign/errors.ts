/** Exit codes the CLI promises: scripts and CI branch on them. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

/**
 * The one error the CLI reports: a message for a person and the exit code. Anything else that
 * reaches the top is a bug, reported in one line too (never a stack unless CAMPAIGN_DEBUG is set).
 */
export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The input (arguments, CSV, state file) is wrong: exit 2, fix and run again. */
export const badInput = (message: string): CliError => new CliError(EXIT.badInput, message);

/** The service refused or could not be reached: exit 1. */
export const failed = (message: string): CliError => new CliError(EXIT.failed, message);

/** Ctrl-C (or SIGTERM) was honoured: exit 130, the shell's code for SIGINT. */
export class Interrupted extends CliError {
  constructor() {
    super(EXIT.interrupted, 'stopped');
    this.name = 'Interrupted';
  }
}

/** A Node error's `code` (ENOENT, ECONNREFUSED, …), read by shape: errors from another realm fail `instanceof`. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/** An error's message, by shape, for one-line reports. */
export function errorMessage(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
    ? error.message
    : String(error);
}
