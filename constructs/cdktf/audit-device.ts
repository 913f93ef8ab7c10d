/** Audit devices: a file or a socket every request and response is logged to (HMAC'd). */
import { Construct } from "constructs";
import { auditDeviceDescriptor } from "../model/graph-governance";
import { auditDeviceSchema } from "../model/schema";
import { namespaceOf, validateProps } from "./base";
import { ownerOf, renderDescriptors } from "./graph-renderer";
import { defined } from "./pki-common";

/** Props both devices share. */
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

/** Props of {@link FileAuditDevice}. */
export interface FileAuditDeviceProps extends AuditDeviceCommonProps {
  /** File path on the server (or `stdout`). */
  readonly filePath: string;
  /** Octal file mode. @default Vault's 0600 */
  readonly mode?: string;
}

/** Props of {@link SocketAuditDevice}. */
export interface SocketAuditDeviceProps extends AuditDeviceCommonProps {
  /** Address (`host:port`, or a socket path for unix). */
  readonly address: string;
  /** Socket type. @default "tcp" */
  readonly socketType?: "tcp" | "udp" | "unix";
  /** Write timeout. @default Vault's 2s */
  readonly writeTimeout?: string | number;
}

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
