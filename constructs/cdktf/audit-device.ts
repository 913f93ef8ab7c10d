/** Audit devices: a file or a socket every request and response is logged to (HMAC'd). */
import { Construct } from "constructs";
import { auditDeviceDescriptor } from "../model/graph-governance";
import { auditDeviceSchema } from "../model/schema";
import { namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";
import { FileAuditDeviceProps, SocketAuditDeviceProps } from "../common/governance-common";

export type { AuditDeviceCommonProps, FileAuditDeviceProps, SocketAuditDeviceProps } from "../common/governance-common";

function render(scope: Construct, input: Record<string, unknown>): string {
  const spec = validateProps(scope, auditDeviceSchema, defined(input));
  renderDescriptors(scope, [auditDeviceDescriptor(spec, { owner: ownerOf(scope), namespace: namespaceOf(scope) })]);
  return spec.path;
}

/** `vault_audit` of type file. */
export class FileAuditDevice extends Construct {
  /** Device path. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: FileAuditDeviceProps) {
    super(scope, id);
    this.path = render(this, { ...props, type: "file" });
  }
}

/** `vault_audit` of type socket. */
export class SocketAuditDevice extends Construct {
  /** Device path. */
  public readonly path: string;

  constructor(scope: Construct, id: string, props: SocketAuditDeviceProps) {
    super(scope, id);
    this.path = render(this, { ...props, type: "socket" });
  }
}
