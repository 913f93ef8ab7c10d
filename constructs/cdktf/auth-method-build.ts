/** How every CDKTF auth-method construct validates its props and renders its resources. */
import { Construct } from "constructs";
import { z } from "zod";
import { ResourceDescriptor } from "../../model/graph";
import { RawIssue, omitUndefined } from "../../model/validation";
import { roleTokenIssues } from "../../model/kinds/auth/auth-mount";
import { namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";

/**
 * Validate `input` with `schema`, check token TTLs of every role, compile with `fragment` and
 * render; returns the rendered resources and the spec.
 */
export function buildAuth<S extends z.ZodType<{ roles?: readonly { tokenTtl?: number; tokenMaxTtl?: number }[]; path: string }>>(
  scope: Construct,
  schema: S,
  input: Record<string, unknown>,
  fragment: (
    spec: z.output<S>,
    options: { owner: string; namespace?: ReturnType<typeof namespaceOf> },
  ) => { resources: ResourceDescriptor[] },
  extraChecks: (spec: z.output<S>) => RawIssue[] = () => [],
): { spec: z.output<S>; resources: ResourceDescriptor[] } {
  const spec = validateProps(scope, schema, omitUndefined(input));
  const issues: RawIssue[] = [...roleTokenIssues(spec.roles), ...extraChecks(spec)];
  throwIssues(scope, issues);
  const { resources } = fragment(spec, { owner: ownerOf(scope), namespace: namespaceOf(scope) });
  renderDescriptors(scope, resources);
  return { spec, resources };
}
