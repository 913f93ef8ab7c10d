/**
 * Audit devices: a file or a socket every request and response is logged to (HMAC'd). They live
 * in the root namespace only, and OpenBao refuses them through the API (declare them in its
 * server configuration instead): both are refused at synthesis.
 */
import { Construct } from "constructs";
import { auditDeviceDescriptor, auditDeviceSchema, FileAuditDeviceProps, SocketAuditDeviceProps } from "../../model/kinds/audit-device";
import { VaultTarget, namespaceOf, throwIssues, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { omitUndefined } from "../../model/validation";
import { rootNamespaceIssues } from "../../model/kinds/root-namespace";

export type { AuditDeviceCommonProps, FileAuditDeviceProps, SocketAuditDeviceProps } from "../../model/kinds/audit-device";

function render(scope: Construct, input: Record<string, unknown>): string {
  VaultTarget.require(scope, "api-audit-devices");
  throwIssues(scope, rootNamespaceIssues("audit devices", namespaceOf(scope)));
  const spec = validateProps(scope, auditDeviceSchema, omitUndefined(input));
  renderDescriptors(scope, [auditDeviceDescriptor(spec, { owner: ownerOf(scope) })]);
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
