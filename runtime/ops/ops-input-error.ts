/**
 * Bad input to an operation — a malformed namespace path, a document that is not what it claims,
 * a grant that would not cross namespaces — refused before anything is sent or written. A
 * `TypeError` (it is one), but its own class so callers (the CLI's exit code 2) can tell it from
 * a programming error.
 */
export class OpsInputError extends TypeError {
  /** @internal */
  constructor(message: string) {
    super(message);
    this.name = "OpsInputError";
  }
}
