/**
 * Vault Enterprise DR and performance replication, as API calls rendered and validated — not
 * sent. No Enterprise server exists where this project is tested, so these are checked for shape
 * (paths per Vault's `sys/replication/{dr,performance}` API, required parameters, addresses,
 * durations) and handed to an operator or a pipeline that runs them against Vault Enterprise.
 * OpenBao has no replication API; its recovery path is the Raft snapshot (see `RaftSnapshots`).
 */

/** Which replication. */
export type ReplicationKind = "dr" | "performance";

/** One step of a replication runbook. */
export type ReplicationStep =
  | { readonly op: "enable-primary"; readonly primaryClusterAddr?: string }
  | { readonly op: "secondary-token"; readonly id: string; readonly ttl?: string }
  | { readonly op: "enable-secondary"; readonly token: string; readonly primaryApiAddr?: string; readonly caFile?: string }
  | { readonly op: "promote-secondary"; readonly drOperationToken?: string; readonly primaryClusterAddr?: string }
  | { readonly op: "demote-primary" }
  | { readonly op: "status" };

/** A rendered call: method, path below `/v1/`, body; to run against Vault Enterprise from the root namespace. */
export interface RenderedCall {
  /** HTTP method. */
  readonly method: "GET" | "POST";
  /** API path below `/v1/`. */
  readonly path: string;
  /** JSON body (empty object when none). */
  readonly body: Readonly<Record<string, string>>;
  /** What the call needs: `sudo` on the path, a DR operation token. */
  readonly requires: readonly string[];
}

/** A step that cannot be rendered; `field` names the parameter at fault. */
export class ReplicationStepError extends Error {
  /** The parameter at fault. */
  public readonly field: string;
  /** @internal */
  constructor(field: string, message: string) {
    super(`replication step: ${field}: ${message}`);
    this.name = "ReplicationStepError";
    this.field = field;
  }
}

function checkAddr(field: string, value: string | undefined): void {
  if (value === undefined) return;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ReplicationStepError(field, `"${value}" is not a URL`);
  }
  if (url.protocol !== "https:") throw new ReplicationStepError(field, `"${value}" must be https:// (replication runs over TLS)`);
}

function nonEmpty(field: string, value: string | undefined): string {
  if (value === undefined || value.trim() === "") throw new ReplicationStepError(field, "is required");
  return value;
}

function defined(body: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Render one step for `kind`; throws {@link ReplicationStepError} on a missing or malformed parameter. */
export function renderReplicationStep(kind: ReplicationKind, step: ReplicationStep): RenderedCall {
  if (kind !== "dr" && kind !== "performance")
    throw new ReplicationStepError("kind", `must be "dr" or "performance", got "${String(kind)}"`);
  const base = `sys/replication/${kind}`;
  switch (step.op) {
    case "enable-primary":
      checkAddr("primaryClusterAddr", step.primaryClusterAddr);
      return {
        method: "POST",
        path: `${base}/primary/enable`,
        body: defined({ primary_cluster_addr: step.primaryClusterAddr }),
        requires: ["sudo"],
      };
    case "secondary-token":
      if (!/^[A-Za-z0-9_.-]+$/.test(nonEmpty("id", step.id)))
        throw new ReplicationStepError("id", `"${step.id}" may hold letters, digits, _ . - only`);
      if (step.ttl !== undefined && !/^\d+[smh]?$/.test(step.ttl))
        throw new ReplicationStepError("ttl", `"${step.ttl}" is not a duration like 30m`);
      return { method: "POST", path: `${base}/primary/secondary-token`, body: defined({ id: step.id, ttl: step.ttl }), requires: ["sudo"] };
    case "enable-secondary":
      nonEmpty("token", step.token);
      checkAddr("primaryApiAddr", step.primaryApiAddr);
      return {
        method: "POST",
        path: `${base}/secondary/enable`,
        body: defined({ token: step.token, primary_api_addr: step.primaryApiAddr, ca_file: step.caFile }),
        requires: ["sudo"],
      };
    case "promote-secondary":
      checkAddr("primaryClusterAddr", step.primaryClusterAddr);
      if (kind === "dr") nonEmpty("drOperationToken", step.drOperationToken);
      return {
        method: "POST",
        path: `${base}/secondary/promote`,
        body: defined({
          dr_operation_token: kind === "dr" ? step.drOperationToken : undefined,
          primary_cluster_addr: step.primaryClusterAddr,
        }),
        requires: kind === "dr" ? ["dr-operation-token"] : ["sudo"],
      };
    case "demote-primary":
      return { method: "POST", path: `${base}/primary/demote`, body: {}, requires: ["sudo"] };
    case "status":
      return { method: "GET", path: `${base}/status`, body: {}, requires: [] };
    default:
      throw new ReplicationStepError("op", `unknown step "${(step as { op: string }).op}"`);
  }
}
