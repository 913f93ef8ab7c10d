/**
 * Audit devices on both servers. OpenBao 2.x creates them only from the server configuration
 * (`audit "<type>" "<path>" { options { … } }` stanzas, applied on start and SIGHUP): its
 * `sys/audit/:path` endpoint answers "cannot enable audit device via API; use declarative,
 * config-based audit device management instead" unless the server sets
 * `unsafe_allow_api_audit_creation` (OpenBao 2.3.2 security release, CVE-2025-6000). HashiCorp
 * Vault enables them through that API. {@link enableAuditDevice} uses the API and, on OpenBao's
 * refusal, throws {@link AuditDeviceConfigOnlyError} carrying the stanza to put in the configuration.
 */
import { VaultHttpError } from "../../core/errors";
import { POLICIES, Requester } from "../../transport/requester";

/** An audit device to create. */
export interface AuditDeviceSpec {
  /** `file` or `socket` (the two this module reads). */
  readonly type: "file" | "socket";
  /** Mount path of the device, e.g. `file-audit`. */
  readonly path: string;
  /** Description. @default none */
  readonly description?: string;
  /** Device options (`file_path`; `address`, `socket_type`; `log_raw`, `hmac_accessor`, …), all strings. */
  readonly options: Readonly<Record<string, string>>;
}

/** OpenBao refused to create the device through the API; put {@link stanza} in its configuration. */
export class AuditDeviceConfigOnlyError extends Error {
  /** The HCL stanza that declares the device. */
  public readonly stanza: string;
  /** @internal */
  constructor(spec: AuditDeviceSpec, serverMessage: string) {
    super(
      `the server refuses audit device "${spec.path}" through the API (${serverMessage}); declare it in the server configuration instead`,
    );
    this.name = "AuditDeviceConfigOnlyError";
    this.stanza = renderAuditStanza(spec);
  }
}

function hclString(value: string): string {
  return JSON.stringify(value);
}

/** Check a spec; throws `TypeError` naming the bad field. */
export function checkAuditDeviceSpec(spec: AuditDeviceSpec): void {
  if (spec.type !== "file" && spec.type !== "socket")
    throw new TypeError(`audit device type must be file or socket, got "${String(spec.type)}"`);
  if (!/^[A-Za-z0-9_-]+$/.test(spec.path)) throw new TypeError(`audit device path "${spec.path}" may hold letters, digits, _ and - only`);
  if (spec.type === "file" && !spec.options.file_path) throw new TypeError(`file audit device "${spec.path}" needs options.file_path`);
  if (spec.type === "socket" && !spec.options.address) throw new TypeError(`socket audit device "${spec.path}" needs options.address`);
}

/** The OpenBao configuration stanza that declares `spec`. */
export function renderAuditStanza(spec: AuditDeviceSpec): string {
  checkAuditDeviceSpec(spec);
  const lines = [`audit ${hclString(spec.type)} ${hclString(spec.path)} {`];
  if (spec.description) lines.push(`  description = ${hclString(spec.description)}`);
  lines.push("  options {");
  for (const [k, v] of Object.entries(spec.options)) {
    if (!/^[a-z_]+$/.test(k)) throw new TypeError(`audit device option name "${k}" is not valid`);
    lines.push(`    ${k} = ${hclString(v)}`);
  }
  lines.push("  }", "}");
  return `${lines.join("\n")}\n`;
}

/** Enable `spec` through `PUT sys/audit/:path` (Vault); see the module doc for OpenBao. */
export async function enableAuditDevice(requester: Requester, spec: AuditDeviceSpec): Promise<void> {
  checkAuditDeviceSpec(spec);
  try {
    await requester.request(
      {
        method: "PUT",
        path: `sys/audit/${spec.path}`,
        body: { type: spec.type, description: spec.description ?? "", options: spec.options },
      },
      POLICIES.idempotentWrite,
    );
  } catch (error) {
    if (error instanceof VaultHttpError && error.errors.some((e) => /declarative|config-based/i.test(e))) {
      throw new AuditDeviceConfigOnlyError(spec, error.errors.join("; "));
    }
    throw error;
  }
}

/** The enabled devices: path → type and options. */
export async function listAuditDevices(requester: Requester): Promise<Record<string, { type: string; options: Record<string, string> }>> {
  const res = await requester.request<{ data: Record<string, { type: string; options: Record<string, string> | null }> }>(
    { method: "GET", path: "sys/audit" },
    POLICIES.read,
  );
  return Object.fromEntries(
    Object.entries(res.body?.data ?? {}).map(([path, d]) => [path.replace(/\/$/, ""), { type: d.type, options: d.options ?? {} }]),
  );
}
