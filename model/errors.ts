/**
 * The one error the estate model throws: every problem carries the path of the offending field
 * (e.g. `engines.pki.intermediate.ttl`) and, when the input was a YAML file, its 1-based line.
 */

/** One problem found in an estate or seed configuration. */
export interface ModelIssue {
  /** Dotted path of the offending field, `(root)` for the document itself. */
  readonly path: string;
  /** What is wrong, naming the rule that was broken. */
  readonly message: string;
  /** File the problem is in, when the input came from a file. */
  readonly file?: string;
  /** 1-based line of the field, when the input was YAML text. */
  readonly line?: number;
  /** 1-based column of the field, when known. */
  readonly column?: number;
}

/** Render one issue as `file:line:column: path: message` (parts that are unknown are left out). */
export function formatIssue(issue: ModelIssue): string {
  let where = "";
  if (issue.file !== undefined) where += issue.file;
  if (issue.line !== undefined) where += `${where ? ":" : "line "}${issue.line}`;
  if (issue.line !== undefined && issue.column !== undefined) where += `:${issue.column}`;
  return `${where ? `${where}: ` : ""}${issue.path}: ${issue.message}`;
}

/** The model rejected its input; `issues` lists every problem found, in document order. */
export class ModelValidationError extends Error {
  /** Every problem found. */
  public readonly issues: readonly ModelIssue[];

  /** Create an error listing `issues` (at least one). */
  constructor(issues: readonly ModelIssue[]) {
    super(
      issues.length === 1 ? formatIssue(issues[0]) : `${issues.length} problems:\n${issues.map((i) => `  - ${formatIssue(i)}`).join("\n")}`,
    );
    this.name = "ModelValidationError";
    this.issues = issues;
  }
}

/** Join a field path (`["engines", "pki", 0, "ttl"]`) into `engines.pki[0].ttl`. */
export function joinPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
