/**
 * Props of the policy, namespace, quota and audit constructs of both engines, their mapping
 * onto the model and the checks the schema does not do.
 */
import { PathRule } from "../../policies/policy-document";
import { StringValue } from "../../model/graph";
import { RawIssue } from "../../model/rules";
import { SentinelPolicySpec } from "../../model/schema";
import { defined } from "./validation";

/** Props of `AclPolicy`. */
export interface AclPolicyProps {
  /** Policy name; must be lower-case (Vault lower-cases names silently). */
  readonly policyName: string;
  /** Initial rules. @default none (add with `allow`, `deny`, `addRules` or a construct's `grant*`) */
  readonly rules?: readonly PathRule[];
}

/** The message both engines give for a policy that has no rules when it is rendered. */
export function emptyPolicyMessage(policyName: string): string {
  return `ACL policy "${policyName}" has no rules; Vault refuses an empty policy`;
}

/** How a Sentinel policy failure is handled. */
export type EnforcementLevel = "advisory" | "soft-mandatory" | "hard-mandatory";

/** Props of `SentinelPolicy`. */
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

/** Model input of a Sentinel policy. */
export function sentinelInput(props: SentinelPolicyProps): Record<string, unknown> {
  return defined({ ...props, name: props.policyName, policyName: undefined });
}

/** EGP/RGP binding rules: an EGP needs paths, an RGP has none, `*` only last. */
export function sentinelIssues(spec: SentinelPolicySpec): RawIssue[] {
  const issues: RawIssue[] = [];
  if (spec.kind === "egp" && spec.paths.length === 0) issues.push({ path: ["paths"], message: "an EGP needs at least one path" });
  if (spec.kind === "rgp" && spec.paths.length > 0)
    issues.push({ path: ["paths"], message: "an RGP is bound to tokens, not paths: remove paths" });
  spec.paths.forEach((p, i) => {
    if (p.slice(0, -1).includes("*")) issues.push({ path: ["paths", i], message: `"${p}": "*" is only allowed as the last character` });
  });
  return issues;
}

/** Props of `Namespace`. */
export interface NamespaceProps {
  /** Path segment of the namespace (nest by creating it inside another Namespace). */
  readonly path: string;
  /** Custom metadata. @default none */
  readonly customMetadata?: Readonly<Record<string, string>>;
}

/** Props both quotas share. */
export interface QuotaCommonProps {
  /** Quota name. */
  readonly quotaName: string;
  /** Path the quota applies to (`""` = everything in the namespace, `auth/approle/`, a mount, ...). @default "" */
  readonly path?: string;
  /** Login role the quota applies to (auth paths only). @default none */
  readonly role?: string;
  /** Apply to child namespaces too. @default provider default */
  readonly inheritable?: boolean;
}

/** Props of `RateLimitQuota`. */
export interface RateLimitQuotaProps extends QuotaCommonProps {
  /** Requests allowed per interval. */
  readonly rate: number;
  /** Interval. @default 1s */
  readonly interval?: string | number;
  /** Block clients that exceed the rate for this long. @default not blocked */
  readonly blockInterval?: string | number;
}

/** Props of `LeaseCountQuota`. */
export interface LeaseCountQuotaProps extends QuotaCommonProps {
  /** Leases allowed at once. */
  readonly maxLeases: number;
}

/** Model input of a quota (`quotaName` becomes `name`). */
export function quotaInput(props: QuotaCommonProps): Record<string, unknown> {
  return defined({ ...props, name: props.quotaName, quotaName: undefined });
}

/**
 * Quotas and audit devices exist in the root namespace only (`sys/quotas`, `sys/audit` answer
 * "operation only available in root namespace" elsewhere): one created inside a namespace is refused.
 */
export function rootNamespaceIssues(what: "quotas" | "audit devices", namespace: StringValue | undefined): RawIssue[] {
  if (namespace === undefined) return [];
  const hint =
    what === "quotas"
      ? 'create the quota outside the namespace, with a path that names it (e.g. "tenant/")'
      : "create the audit device outside the namespace";
  return [{ path: [], message: `${what} live in the root namespace only (Vault refuses them in a namespace): ${hint}` }];
}

/** Props both audit devices share. */
export interface AuditDeviceCommonProps {
  /** Device path. @default the device type */
  readonly path?: string;
  /** Description. @default none */
  readonly description?: string;
  /** Local to this cluster (not replicated). @default false */
  readonly local?: boolean;
  /** Log format. @default "json" */
  readonly format?: "json" | "jsonx";
  /** Log token accessors in clear. @default Vault's (HMAC'd) */
  readonly hmacAccessor?: boolean;
}

/** Props of `FileAuditDevice`. */
export interface FileAuditDeviceProps extends AuditDeviceCommonProps {
  /** File path on the server (or `stdout`). */
  readonly filePath: string;
  /** Octal file mode. @default Vault's 0600 */
  readonly mode?: string;
}

/** Props of `SocketAuditDevice`. */
export interface SocketAuditDeviceProps extends AuditDeviceCommonProps {
  /** Address (`host:port`, or a socket path for unix). */
  readonly address: string;
  /** Socket type. @default "tcp" */
  readonly socketType?: "tcp" | "udp" | "unix";
  /** Write timeout. @default Vault's 2s */
  readonly writeTimeout?: string | number;
}
