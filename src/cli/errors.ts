/** An error the CLI reports without a stack trace: a message, an optional hint, and an exit status. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CliError";
  }
}
