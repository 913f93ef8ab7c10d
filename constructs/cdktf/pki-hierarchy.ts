/**
 * A whole PKI hierarchy in one construct: a root CA, its intermediates and their roles, validated
 * together first (so "intermediate TTL above the root's" names `intermediates[0].ttl`).
 */
import { Construct } from "constructs";
import { checkPki, pkiSchema, PkiHierarchyProps, intermediateChildId, pkiHierarchyInput } from "../../model/kinds/pki";
import { throwIssues, validateProps } from "./base";
import { IntermediateCa } from "./intermediate-ca";
import { PkiRole } from "./pki-role";
import { RootCa } from "./root-ca";

/** A root CA with its intermediates and roles (children `root`, `<mountPath>`, `<mountPath>/role-<name>`). */
export class PkiHierarchy extends Construct {
  /** The root CA. */
  public readonly root: RootCa;
  /** Intermediates by mount path. */
  public readonly intermediates: ReadonlyMap<string, IntermediateCa>;
  /** Roles by name. */
  public readonly roles: ReadonlyMap<string, PkiRole>;

  constructor(scope: Construct, id: string, props: PkiHierarchyProps) {
    super(scope, id);
    const spec = validateProps(this, pkiSchema, pkiHierarchyInput(props));
    throwIssues(this, checkPki(spec));
    this.root = new RootCa(this, "root", props.root);
    const intermediates = new Map<string, IntermediateCa>();
    const roles = new Map<string, PkiRole>();
    for (const { roles: roleOptions, ...options } of props.intermediates ?? []) {
      const ca = new IntermediateCa(this, intermediateChildId(options.mountPath), { ...options, root: this.root });
      intermediates.set(ca.mountPath, ca);
      for (const r of roleOptions ?? []) {
        if (roles.has(r.roleName)) throw new Error(`PkiHierarchy ${this.node.path}: role "${r.roleName}" is declared on two intermediates`);
        roles.set(r.roleName, ca.addRole(`role-${r.roleName}`, r));
      }
    }
    this.intermediates = intermediates;
    this.roles = roles;
  }

  /** The intermediate at `mountPath`; throws naming the missing mount and the ones there are. */
  public intermediate(mountPath: string): IntermediateCa {
    const ca = this.intermediates.get(mountPath);
    if (!ca)
      throw new Error(
        `PkiHierarchy ${this.node.path}: no intermediate "${mountPath}" (intermediates: ${[...this.intermediates.keys()].join(", ") || "none"})`,
      );
    return ca;
  }

  /** The role named `roleName`; throws naming the missing role and the ones there are. */
  public role(roleName: string): PkiRole {
    const role = this.roles.get(roleName);
    if (!role)
      throw new Error(`PkiHierarchy ${this.node.path}: no role "${roleName}" (roles: ${[...this.roles.keys()].join(", ") || "none"})`);
    return role;
  }
}
