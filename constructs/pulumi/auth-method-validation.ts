/** Validation and rendering shared by the auth-method components. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { roleTokenIssues } from "../../model/kinds/auth/auth-mount";
import { omitUndefined, throwLabelled, validateLabelled, RawIssue } from "../../model/validation";
import { labelOf } from "./base";

/**
 * Validate an auth method's model input with `schema` and check the token TTLs of every role
 * plus `extraChecks` — all before the component exists.
 * @throws ModelValidationError
 */
export function validateAuth<S extends z.ZodType<{ roles?: readonly { tokenTtl?: number; tokenMaxTtl?: number }[]; path: string }>>(
  className: string,
  name: string,
  opts: pulumi.ComponentResourceOptions | undefined,
  schema: S,
  input: Record<string, unknown>,
  extraChecks: (spec: z.output<S>) => RawIssue[] = () => [],
): z.output<S> {
  const label = labelOf(className, name, opts?.parent);
  const spec = validateLabelled(label, schema, omitUndefined(input));
  throwLabelled(label, [...roleTokenIssues(spec.roles), ...extraChecks(spec)]);
  return spec;
}
