/**
 * Audit devices: a file or a socket every request and response is logged to (HMAC'd). They live
 * in the root namespace only, and OpenBao refuses them through the API (declare them in its
 * server configuration instead): both are refused before anything is registered.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  FileAuditDeviceProps,
  SocketAuditDeviceProps,
  auditDeviceDescriptor,
  AuditDeviceSpec,
  auditDeviceSchema,
} from "../../model/kinds/audit-device";
import { rootNamespaceIssues } from "../../model/kinds/root-namespace";
import { omitUndefined, throwLabelled, validateLabelled } from "../../model/validation";
import { labelOf, namespaceOf, requireTargetFeature } from "./base";
import { VaultComponent } from "./component";
import { renderDescriptors } from "./graph-renderer";

export type { AuditDeviceCommonProps, FileAuditDeviceProps, SocketAuditDeviceProps } from "../../model/kinds/audit-device";

function validate(
  className: string,
  name: string,
  opts: pulumi.ComponentResourceOptions | undefined,
  input: Record<string, unknown>,
): AuditDeviceSpec {
  requireTargetFeature(name, opts?.parent, "api-audit-devices");
  const label = labelOf(className, name, opts?.parent);
  throwLabelled(label, rootNamespaceIssues("audit devices", namespaceOf(opts?.parent)));
  return validateLabelled(label, auditDeviceSchema, omitUndefined(input));
}

/** Component `vaultsmith:audit:FileAuditDevice`: `vault_audit` of type file. */
export class FileAuditDevice extends VaultComponent {
  /** Device path. */
  public readonly path: string;

  constructor(name: string, props: FileAuditDeviceProps, opts?: pulumi.ComponentResourceOptions) {
    const spec = validate("FileAuditDevice", name, opts, { ...props, type: "file" });
    super("vaultsmith:audit:FileAuditDevice", name, opts);
    renderDescriptors(this, [auditDeviceDescriptor(spec, { owner: this.fragmentOptions(opts).owner })]);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}

/** Component `vaultsmith:audit:SocketAuditDevice`: `vault_audit` of type socket. */
export class SocketAuditDevice extends VaultComponent {
  /** Device path. */
  public readonly path: string;

  constructor(name: string, props: SocketAuditDeviceProps, opts?: pulumi.ComponentResourceOptions) {
    const spec = validate("SocketAuditDevice", name, opts, { ...props, type: "socket" });
    super("vaultsmith:audit:SocketAuditDevice", name, opts);
    renderDescriptors(this, [auditDeviceDescriptor(spec, { owner: this.fragmentOptions(opts).owner })]);
    this.path = spec.path;
    this.registerOutputs({ path: this.path });
  }
}
