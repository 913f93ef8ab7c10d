/**
 * A whole PKI hierarchy in one component: a root CA, its intermediates and their roles,
 * validated together first (so "intermediate TTL above the root's" names `intermediates[0].ttl`).
 */
import * as pulumi from "@pulumi/pulumi";
import { PkiHierarchyProps, intermediateChildId, pkiHierarchyInput, checkPki, pkiSchema } from "../../model/kinds/pki";
import { throwLabelled, validateLabelled } from "../../model/validation";
import { labelOf } from "./base";
import { VaultComponent } from "./component";
import { IntermediateCa } from "./intermediate-ca";
import { PkiRole } from "./pki-role";
import { RootCa } from "./root-ca";

export type { PkiHierarchyProps, PkiIntermediateOptions } from "../../model/kinds/pki";

/** Component `vaultsmith:pki:PkiHierarchy`; children `<name>-root`, `<name>-<mountPath>`, `<name>-<mountPath>-role-<role>`. */
export class PkiHierarchy extends VaultComponent {
  /** The root CA. */
  public readonly root: RootCa;
  /** Intermediates by mount path. */
  public readonly intermediates: ReadonlyMap<string, IntermediateCa>;
  /** Roles by name. */
  public readonly roles: ReadonlyMap<string, PkiRole>;

  constructor(name: string, props: PkiHierarchyProps, opts?: pulumi.ComponentResourceOptions) {
    const label = labelOf("PkiHierarchy", name, opts?.parent);
    const spec = validateLabelled(label, pkiSchema, pkiHierarchyInput(props));
    throwLabelled(label, checkPki(spec));
    const names = new Set<string>();
    for (const r of (props.intermediates ?? []).flatMap((i) => i.roles ?? [])) {
      if (names.has(r.roleName)) throw new Error(`PkiHierarchy ${name}: role "${r.roleName}" is declared on two intermediates`);
      names.add(r.roleName);
    }
    super("vaultsmith:pki:PkiHierarchy", name, opts);
    this.root = new RootCa(`${name}-root`, props.root, { parent: this });
    const intermediates = new Map<string, IntermediateCa>();
    const roles = new Map<string, PkiRole>();
    for (const { roles: roleOptions, ...options } of props.intermediates ?? []) {
      const ca = new IntermediateCa(`${name}-${intermediateChildId(options.mountPath)}`, { ...options, root: this.root }, { parent: this });
      intermediates.set(ca.mountPath, ca);
      for (const r of roleOptions ?? []) roles.set(r.roleName, ca.addRole(`role-${r.roleName}`, r));
    }
    this.intermediates = intermediates;
    this.roles = roles;
    this.registerOutputs({ rootMountPath: this.root.mountPath, intermediateMountPaths: [...intermediates.keys()] });
  }

  /** The intermediate at `mountPath`; throws naming the missing mount and the ones there are. */
  public intermediate(mountPath: string): IntermediateCa {
    const ca = this.intermediates.get(mountPath);
    if (!ca)
      throw new Error(
        `PkiHierarchy ${this.componentName}: no intermediate "${mountPath}" (intermediates: ${[...this.intermediates.keys()].join(", ") || "none"})`,
      );
    return ca;
  }

  /** The role named `roleName`; throws naming the missing role and the ones there are. */
  public role(roleName: string): PkiRole {
    const role = this.roles.get(roleName);
    if (!role)
      throw new Error(`PkiHierarchy ${this.componentName}: no role "${roleName}" (roles: ${[...this.roles.keys()].join(", ") || "none"})`);
    return role;
  }
}
