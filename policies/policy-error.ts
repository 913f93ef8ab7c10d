/**
 * The one error type the policy toolkit throws for bad input: it names the source (file), the
 * 1-based line when known, and the field that is wrong, so a message can be acted on directly.
 */

/** Where a policy problem was found. */
export interface PolicySourceLocation {
  /** File name, or a label such as `PolicyBuilder("app")` when the policy was built in code. */
  readonly file: string;
  /** 1-based line, when the source is text. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly column?: number;
}

/** A policy was rejected: unknown key, bad capability, misplaced wildcard, inverted TTL bounds, ... */
export class PolicyValidationError extends Error {
  /** File (or builder label) the problem is in. */
  public readonly file: string;
  /** 1-based line of the problem, when the input was text. */
  public readonly line: number | undefined;
  /** 1-based column of the problem, when known. */
  public readonly column: number | undefined;
  /** The offending field, e.g. `path "secret/*".capabilities`. */
  public readonly field: string | undefined;
  /** The reason without the location prefix. */
  public readonly reason: string;

  /** Create an error at `location`; the message is `file:line: field: reason`. */
  constructor(location: PolicySourceLocation, reason: string, field?: string) {
    const where =
      location.line === undefined ? location.file : `${location.file}:${location.line}${location.column ? `:${location.column}` : ""}`;
    super(`${where}: ${field ? `${field}: ` : ""}${reason}`);
    this.name = "PolicyValidationError";
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
    this.field = field;
    this.reason = reason;
  }
}
