/**
 * Prop validation shared by both engines: the model validates, and every message is prefixed
 * with the construct label (`KvV2Store(kv)`), so CDKTF and Pulumi report the same text.
 */
import { z } from "zod";
import { ModelValidationError } from "../../model/errors";
import { RawIssue, locateIssues, validateSpec } from "../../model/rules";

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
export function defined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
