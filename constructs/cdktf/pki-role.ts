/** A PKI role from a template (server, client, code-signing), pinned to its issuer. */
import { PkiSecretBackendRole } from "@cdktf/provider-vault/lib/pki-secret-backend-role";
import { Construct } from "constructs";
import { pkiRoleDescriptor } from "../model/graph-pki";
import { checkPkiRole, defaultKeyBits } from "../model/rules";
import { pkiRoleSchema } from "../model/schema";
import { IPolicyGrantee, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, portableValue, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";
import type { ICertificateIssuer } from "./intermediate-ca";

/** Certificate templates: the extended key usages a role's certificates carry. */
export type PkiRoleTemplate = "server" | "client" | "code-signing";

/** Options of {@link PkiRole} (everything but the issuer). */
export interface PkiRoleOptions {
  /** Role name (the `<mount>/issue/<name>` path segment). */
  readonly roleName: string;
  /** Template: `server` (ServerAuth), `client` (ClientAuth) or `code-signing` (CodeSigning). */
  readonly template: PkiRoleTemplate;
  /** Default certificate TTL (`720h`, or seconds). */
  readonly ttl: string | number;
  /** Highest TTL a request may ask for. @default the ttl */
  readonly maxTtl?: string | number;
  /** Domains names may be under. @default none (set allowAnyName for none at all) */
  readonly allowedDomains?: readonly string[];
  /** Allow subdomains of allowedDomains. @default false */
  readonly allowSubdomains?: boolean;
  /** Allow the allowedDomains themselves. @default false */
  readonly allowBareDomains?: boolean;
  /** Allow globs in allowedDomains. @default false */
  readonly allowGlobDomains?: boolean;
  /** Allow IP SANs. @default false */
  readonly allowIpSans?: boolean;
  /** Allow `localhost`. @default false */
  readonly allowLocalhost?: boolean;
  /** Allow any name. @default false */
  readonly allowAnyName?: boolean;
  /** Require hostnames to be valid (forced off for code-signing). @default true */
  readonly enforceHostnames?: boolean;
  /** Key algorithm of issued certificates. @default "ec" */
  readonly keyType?: "rsa" | "ec" | "ed25519" | "any";
  /** Key size. @default 256 for ec, 4096 for rsa */
  readonly keyBits?: number;
  /** Do not store issued certificates (short-lived, high-volume). @default false */
  readonly noStore?: boolean;
  /** Organization (O) of issued certificates. @default none */
  readonly organization?: readonly string[];
  /** Organizational units (OU) of issued certificates. @default none */
  readonly ou?: readonly string[];
}

/** Props of {@link PkiRole}. */
export interface PkiRoleProps extends PkiRoleOptions {
  /** The CA the role issues from (its mount and issuer). */
  readonly issuer: ICertificateIssuer;
}

/**
 * `vault_pki_secret_backend_role` on the issuer's mount with `issuer_ref` pinned to it. TTLs are
 * emitted as seconds (a duration string would diff against Vault's read-back forever), and the
 * TTLs are checked against the mount's max TTL and the CA's own lifetime.
 */
export class PkiRole extends Construct {
  /** Role name. */
  public readonly roleName: string;
  /** The issuer's mount path. */
  public readonly mountPath: string;
  /** The provider resource (escape hatch). */
  public readonly resource: PkiSecretBackendRole;

  constructor(scope: Construct, id: string, props: PkiRoleProps) {
    super(scope, id);
    const { issuer, roleName, ...rest } = props;
    const parsed = validateProps(this, pkiRoleSchema, defined({ ...rest, name: roleName }));
    const spec = { ...parsed, keyBits: parsed.keyBits ?? (parsed.keyType === "any" ? 0 : defaultKeyBits(parsed.keyType)) };
    throwIssues(this, checkPkiRole(spec, { mount: issuer.mountPath, maxLeaseTtl: issuer.maxLeaseTtlSeconds, ttl: issuer.ttlSeconds }));
    const d = pkiRoleDescriptor(
      spec,
      { mountPath: portableValue(issuer, this, issuer.mountRef), issuerId: portableValue(issuer, this, issuer.issuerRef) },
      { owner: ownerOf(this), namespace: namespaceOf(this) },
    );
    this.resource = renderDescriptors(this, [d]).get(d.id) as PkiSecretBackendRole;
    this.roleName = spec.name;
    this.mountPath = issuer.mountPath;
  }

  /** Grant `update` on `<mount>/issue/<role>` (issue a certificate and key). */
  public grantIssue(policy: IPolicyGrantee): void {
    policy.addRules({ path: `${this.mountPath}/issue/${this.roleName}`, capabilities: ["update"] });
  }

  /** Grant `update` on `<mount>/sign/<role>` (sign a CSR; the key never leaves the client). */
  public grantSign(policy: IPolicyGrantee): void {
    policy.addRules({ path: `${this.mountPath}/sign/${this.roleName}`, capabilities: ["update"] });
  }

  /** Grant `update` on `<mount>/revoke` (revoke by serial number) — broad: any certificate of the mount. */
  public grantRevoke(policy: IPolicyGrantee): void {
    policy.addRules({ path: `${this.mountPath}/revoke`, capabilities: ["update"] });
  }
}
