/**
 * Typed errors of configuration templates. Each names the template and the line (and column) of
 * the reference at fault; none carries a rendered value or any part of a secret.
 */

/** Base class of the template errors. */
export class TemplateError extends Error {
  /** Name the template was given. */
  public readonly template: string;
  /** 1-based line of the reference at fault. */
  public readonly line: number;
  /** 1-based column of its `{{`. */
  public readonly column: number;

  /** @internal */
  constructor(template: string, line: number, column: number, detail: string, options?: { cause?: unknown }) {
    super(`template "${template}" line ${line}, column ${column}: ${detail}`, options);
    this.name = new.target.name;
    this.template = template;
    this.line = line;
    this.column = column;
  }
}

/** The template text is malformed (an unclosed `{{`, an unknown source or filter, a wrong number of arguments). */
export class TemplateSyntaxError extends TemplateError {}

/**
 * A reference could not be resolved: the secret, field, key, managed name or role it names does
 * not exist (or the server refused it). Raised before anything is delivered: the previous output,
 * file and reload hook stay as they were.
 */
export class TemplateValueError extends TemplateError {
  /** The reference as written (`kv secret app/db password`) — names only, never a value. */
  public readonly reference: string;

  /** @internal */
  constructor(template: string, line: number, column: number, reference: string, detail: string, cause?: unknown) {
    super(template, line, column, `{{ ${reference} }}: ${detail}`, { cause });
    this.reference = reference;
  }
}

/** The output file cannot be written (its directory is missing or not writable). */
export class TemplateFileError extends Error {
  /** The file asked for. */
  public readonly path: string;

  /** @internal */
  constructor(path: string, detail: string, options?: { cause?: unknown }) {
    super(`template output ${path}: ${detail}`, options);
    this.name = "TemplateFileError";
    this.path = path;
  }
}
