/**
 * Validation plumbing of the model: raw issues, locating them in a source, running a schema, labelling
 * construct props (both engines report the same text).
 */
import type { EnvReference } from "./env";
import { joinPath, ModelIssue, ModelValidationError } from "./errors";
import { z } from "zod";

/** An issue before it is located in a source file. */
export interface RawIssue {
  /** Field path segments. */
  readonly path: readonly PropertyKey[];
  /** What is wrong. */
  readonly message: string;
}

/** Maps a field path to its place in the source text, when there is one. */
export type Locator = (path: readonly PropertyKey[]) => { line: number; column: number } | undefined;

/** Options of {@link parseEstate} and {@link validateSpec}. */
export interface ParseOptions {
  /** File name for messages. @default none */
  readonly file?: string;
  /** Source locator (the YAML loader passes one). @default none */
  readonly locate?: Locator;
  /** Path prefix for messages, e.g. the construct path. @default none */
  readonly pathPrefix?: readonly PropertyKey[];
}

/** Issues for `${NAME}` references left unset, with their field paths as path arrays. */
export function unsetEnvIssues(unresolved: readonly EnvReference[]): RawIssue[] {
  return unresolved.map((r) => ({
    path: r.path
      .split(/\.|\[|\]/)
      .filter(Boolean)
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
    message: `environment variable ${r.name} is not set`,
  }));
}

/** Turn raw issues into located model issues (line and column from the locator, when given). */
export function locateIssues(issues: readonly RawIssue[], options: ParseOptions = {}): ModelIssue[] {
  return issues.map((issue) => {
    const where = options.locate?.(issue.path);
    return {
      path: joinPath([...(options.pathPrefix ?? []), ...issue.path]),
      message: issue.message,
      ...(options.file !== undefined ? { file: options.file } : {}),
      ...(where ? { line: where.line, column: where.column } : {}),
    };
  });
}

/** zod issues as raw issues (unknown keys are reported one per key, at the key). */
export function zodIssues(error: z.ZodError): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: [...issue.path, key], message: `unknown key "${key}"` });
    } else {
      out.push({ path: issue.path, message: issue.message });
    }
  }
  return out;
}

/**
 * Parse `input` with `schema` (no cross-field rules) or throw every problem with its path.
 * @throws ModelValidationError
 */
export function validateSpec<S extends z.ZodType>(schema: S, input: unknown, options: ParseOptions = {}): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ModelValidationError(locateIssues(zodIssues(result.error), options));
  return result.data;
}

/** `issues` with their paths put under `at`, for a part validated on its own inside a larger spec. */
export function prefixed(at: readonly PropertyKey[], issues: readonly RawIssue[]): RawIssue[] {
  return issues.map((i) => ({ path: [...at, ...i.path], message: i.message }));
}

/**
 * Validate `props` with a model schema; error paths start with `label`.
 * @throws ModelValidationError
 */
export function validateLabelled<S extends z.ZodType>(label: string, schema: S, props: unknown): z.output<S> {
  return validateSpec(schema, props, { pathPrefix: [label] });
}

/**
 * Throw rule violations `issues` (paths relative to the construct's props), if any.
 * @throws ModelValidationError
 */
export function throwLabelled(label: string, issues: readonly RawIssue[]): void {
  if (issues.length > 0) throw new ModelValidationError(locateIssues(issues, { pathPrefix: [label] }));
}

/** `Class(path)`: the label of a construct in messages. */
export function constructLabel(className: string, path: string): string {
  return `${className}(${path})`;
}

/** Drop undefined values so zod defaults apply (props objects carry `undefined` for unset options). */
export function omitUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
