/** Props shared by the auth-method constructs. */
import { Construct } from "constructs";
import { z } from "zod";
import { ResourceDescriptor } from "../model/graph";
import { RawIssue, checkTokenFields } from "../model/rules";
import { IAclPolicy, namespaceOf, policyNames, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Token settings of an auth role; `policies` binds the role to ACL policies. */
export interface AuthRoleTokenOptions {
  /** Policies attached to tokens the role issues (typed or by name). @default none */
  readonly policies?: readonly (IAclPolicy | string)[];
  /** Token TTL. @default the mount's default */
  readonly tokenTtl?: string | number;
  /** Token max TTL. @default the mount's max */
  readonly tokenMaxTtl?: string | number;
  /** Make tokens periodic with this period. @default not periodic */
  readonly tokenPeriod?: string | number;
  /** CIDRs tokens may be used from. @default anywhere */
  readonly tokenBoundCidrs?: readonly string[];
  /** Token type. @default the mount's default */
  readonly tokenType?: "default" | "service" | "batch";
  /** Leave out the `default` policy. @default false */
  readonly tokenNoDefaultPolicy?: boolean;
}

/** A `tune` block; emitted only when given (the provider diffs tune values that differ from Vault's). */
export interface AuthTuneOptions {
  /** Default lease TTL. @default Vault's */
  readonly defaultLeaseTtl?: string | number;
  /** Max lease TTL. @default Vault's */
  readonly maxLeaseTtl?: string | number;
  /** Show the mount in the unauthenticated UI listing. @default Vault's */
  readonly listingVisibility?: "unauth" | "hidden";
  /** Token type for the mount. @default Vault's */
  readonly tokenType?: "default-service" | "default-batch" | "service" | "batch";
}

/** Props every auth-method construct has. */
export interface AuthMountProps {
  /** Mount path under `auth/`. @default the method's name */
  readonly path?: string;
  /** Mount description. @default none */
  readonly description?: string;
  /** Tune block. @default none (no tune block is emitted) */
  readonly tune?: AuthTuneOptions;
}

/** Model input of one role: policies as names, undefined dropped. */
export function roleInput<R extends AuthRoleTokenOptions>(role: R): Record<string, unknown> {
  return defined({ ...(role as Record<string, unknown>), policies: policyNames(role.policies) });
}

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
  const spec = validateProps(scope, schema, defined(input));
  const issues: RawIssue[] = [];
  (spec.roles ?? []).forEach((r, i) =>
    issues.push(...checkTokenFields(r).map((x) => ({ path: ["roles", i, ...x.path], message: x.message }))),
  );
  issues.push(...extraChecks(spec));
  throwIssues(scope, issues);
  const { resources } = fragment(spec, { owner: ownerOf(scope), namespace: namespaceOf(scope) });
  renderDescriptors(scope, resources);
  return { spec, resources };
}
