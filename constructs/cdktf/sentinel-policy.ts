/** Sentinel policies (Vault Enterprise): EGP bound to paths, RGP bound to tokens and identities. */
import { Construct } from "constructs";
import { sentinelPolicyDescriptor } from "../model/graph-governance";
import { RawIssue } from "../model/rules";
import { sentinelPolicySchema } from "../model/schema";
import { VaultTarget, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** How a Sentinel policy failure is handled. */
export type EnforcementLevel = "advisory" | "soft-mandatory" | "hard-mandatory";

/** Props of {@link SentinelPolicy}. */
export interface SentinelPolicyProps {
  /** Policy name (lower-case; an RGP shares its name space with ACL policies). */
  readonly policyName: string;
  /** `egp` (endpoint governing, bound to paths) or `rgp` (role governing, bound to tokens). */
  readonly kind: "egp" | "rgp";
  /** Paths an EGP applies to (`*` only as the last character). @default none (required for EGP) */
  readonly paths?: readonly string[];
  /** Enforcement level. */
  readonly enforcementLevel: EnforcementLevel;
  /** Sentinel source code. */
  readonly policy: string;
}

/**
 * `vault_egp_policy` or `vault_rgp_policy`. Refused at synthesis unless the declared target is
 * Vault Enterprise.
 */
export class SentinelPolicy extends Construct {
  /** Policy name. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: SentinelPolicyProps) {
    super(scope, id);
    VaultTarget.require(this, "sentinel-policies");
    const spec = validateProps(this, sentinelPolicySchema, defined({ ...props, name: props.policyName, policyName: undefined }));
    const issues: RawIssue[] = [];
    if (spec.kind === "egp" && spec.paths.length === 0) issues.push({ path: ["paths"], message: "an EGP needs at least one path" });
    if (spec.kind === "rgp" && spec.paths.length > 0)
      issues.push({ path: ["paths"], message: "an RGP is bound to tokens, not paths: remove paths" });
    spec.paths.forEach((p, i) => {
      if (p.slice(0, -1).includes("*")) issues.push({ path: ["paths", i], message: `"${p}": "*" is only allowed as the last character` });
    });
    throwIssues(this, issues);
    renderDescriptors(this, [sentinelPolicyDescriptor(spec, { owner: ownerOf(this), namespace: namespaceOf(this) })]);
    this.policyName = spec.name;
  }
}
