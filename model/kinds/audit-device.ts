/**
 * The audit device kind (file, socket): schema, graph descriptor and construct props.
 */
import { durationSeconds } from "../duration";
import { mountPathField } from "../fields";
import { compact, FragmentOptions, ownerId, ResourceDescriptor } from "../graph";
import { z } from "zod";

/** An audit device. */
export const auditDeviceSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("file"),
    path: mountPathField.default("file"),
    description: z.string().optional(),
    local: z.boolean().default(false),
    filePath: z.string().min(1),
    mode: z
      .string()
      .regex(/^0?[0-7]{3}$/, "expected an octal file mode such as 0600")
      .optional(),
    format: z.enum(["json", "jsonx"]).default("json"),
    hmacAccessor: z.boolean().optional(),
  }),
  z.strictObject({
    type: z.literal("socket"),
    path: mountPathField.default("socket"),
    description: z.string().optional(),
    local: z.boolean().default(false),
    address: z.string().min(1),
    socketType: z.enum(["tcp", "udp", "unix"]).default("tcp"),
    writeTimeout: durationSeconds.optional(),
    format: z.enum(["json", "jsonx"]).default("json"),
    hmacAccessor: z.boolean().optional(),
  }),
]);

/** Canonical audit device. */
export type AuditDeviceSpec = z.output<typeof auditDeviceSchema>;

/** An audit device (root namespace); options are strings, as Vault's API takes them. */
export function auditDeviceDescriptor(spec: AuditDeviceSpec, options: FragmentOptions): ResourceDescriptor {
  const common = { format: spec.format, hmac_accessor: spec.hmacAccessor === undefined ? undefined : String(spec.hmacAccessor) };
  const deviceOptions =
    spec.type === "file"
      ? compact({ file_path: spec.filePath, mode: spec.mode, ...common })
      : compact({
          address: spec.address,
          socket_type: spec.socketType,
          write_timeout: spec.writeTimeout === undefined ? undefined : `${spec.writeTimeout}s`,
          ...common,
        });
  return {
    type: "vault_audit",
    id: `${ownerId(options.owner)}.device`,
    attributes: compact({
      type: spec.type,
      path: spec.path,
      description: spec.description,
      local: spec.local,
      options: deviceOptions,
    }),
  };
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
