/**
 * Reports over completed exchanges: forensic search (entity, path, namespace, time), usage
 * analytics (which paths of each policy were exercised and which never were — candidates for
 * tightening) and a compliance mapping (each control names an evidence query; the report lists
 * how much evidence was found and sample request ids an auditor can look up).
 */
import { AuditExchange } from "./audit-correlator";

/** A forensic query; every given field must match. */
export interface ForensicQuery {
  /** Entity id. */
  readonly entityId?: string;
  /** Path glob: `*` matches any rest, `+` one segment (Vault's policy syntax). */
  readonly path?: string;
  /** Namespace path (`""` = root). */
  readonly namespace?: string;
  /** Operations (`read`, `update`, …). */
  readonly operations?: readonly string[];
  /** Token HMAC (see `auditHash`). */
  readonly tokenHash?: string;
  /** The caller's token had this policy (`root` finds root token use). */
  readonly policy?: string;
  /** Only failures (`true`) or only successes (`false`). */
  readonly failed?: boolean;
  /** From this time (inclusive). */
  readonly from?: Date;
  /** Until this time (exclusive). */
  readonly to?: Date;
}

/** Whether `path` matches a Vault policy path pattern (`+` one segment, trailing `*` any rest). */
export function matchesPolicyPath(pattern: string, path: string): boolean {
  const rx = pattern
    .split("")
    .map((ch, i) => (ch === "*" && i === pattern.length - 1 ? ".*" : ch === "+" ? "[^/]+" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${rx}$`).test(path);
}

/** Keeps exchanges in memory for the reports (bounded: oldest dropped first). */
export class AuditStore {
  private readonly items: AuditExchange[] = [];

  /** @param capacity most exchanges kept @default 1000000 */
  constructor(private readonly capacity = 1_000_000) {}

  /** Add one exchange. */
  add(exchange: AuditExchange): void {
    this.items.push(exchange);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
  }

  /**
   * The exchange of one request id — how an application event is tied to the log: a
   * `VaultHttpError` carries the request id of the failed call, so "why was this refused?" is
   * answered by the entry with the policies and path the server saw.
   */
  byRequestId(id: string): AuditExchange | undefined {
    for (let i = this.items.length - 1; i >= 0; i--) if (this.items[i].id === id) return this.items[i];
    return undefined;
  }

  /** Number kept. */
  get size(): number {
    return this.items.length;
  }

  /** Exchanges matching `query`, oldest first. */
  search(query: ForensicQuery): AuditExchange[] {
    return this.items.filter((ex) => {
      const t = ex.request.time.getTime();
      return (
        (query.entityId === undefined || ex.entityId === query.entityId) &&
        (query.path === undefined || matchesPolicyPath(query.path, ex.path)) &&
        (query.namespace === undefined || ex.namespace === query.namespace.replace(/\/+$/, "")) &&
        (query.operations === undefined || query.operations.includes(ex.operation)) &&
        (query.tokenHash === undefined || ex.tokenHash === query.tokenHash) &&
        (query.policy === undefined || ex.policies.includes(query.policy)) &&
        (query.failed === undefined || (ex.error !== undefined) === query.failed) &&
        (query.from === undefined || t >= query.from.getTime()) &&
        (query.to === undefined || t < query.to.getTime())
      );
    });
  }

  /** Usage of each policy path rule: `policies` maps a policy name to its HCL text. */
  usage(policies: Readonly<Record<string, string>>): PolicyUsage[] {
    const out: PolicyUsage[] = [];
    for (const [name, text] of Object.entries(policies)) {
      for (const path of policyPaths(text)) {
        const hits = this.items.filter(
          (ex) => ex.error === undefined && ex.request.auth.grantingPolicies.includes(name) && matchesPolicyPath(path, ex.path),
        );
        out.push({
          policy: name,
          path,
          requests: hits.length,
          lastUsed: hits.length > 0 ? hits[hits.length - 1].request.time.toISOString() : undefined,
        });
      }
    }
    return out;
  }

  /** Evidence for each control. */
  compliance(controls: readonly ComplianceControl[], samples = 5): ComplianceFinding[] {
    return controls.map((control) => {
      const evidence = this.search(control.evidence);
      return {
        control: control.id,
        description: control.description,
        evidenceCount: evidence.length,
        sampleRequestIds: evidence.slice(-samples).map((e) => e.id),
        satisfied: control.expect === "none" ? evidence.length === 0 : evidence.length > 0,
      };
    });
  }
}

/** One path rule of one policy and how often it granted a request. */
export interface PolicyUsage {
  /** Policy name. */
  readonly policy: string;
  /** Path pattern in the policy. */
  readonly path: string;
  /** Successful requests it granted (the policy was among the granting ones and the path matched). */
  readonly requests: number;
  /** Last such request (ISO 8601), when any. */
  readonly lastUsed: string | undefined;
}

/** The path patterns of a policy's HCL text. */
export function policyPaths(text: string): string[] {
  return [...text.matchAll(/path\s+"([^"]+)"/g)].map((m) => m[1]);
}

/** A control and the query whose results are its evidence. */
export interface ComplianceControl {
  /** Control id, e.g. `SOC2-CC6.1`. */
  readonly id: string;
  /** What it requires. */
  readonly description: string;
  /** Evidence query. */
  readonly evidence: ForensicQuery;
  /** `some`: evidence must exist (e.g. access reviews happen); `none`: any evidence is a finding (e.g. root use). @default "some" */
  readonly expect?: "some" | "none";
}

/** The result for one control. */
export interface ComplianceFinding {
  /** Control id. */
  readonly control: string;
  /** What it requires. */
  readonly description: string;
  /** Matching exchanges. */
  readonly evidenceCount: number;
  /** Latest request ids as evidence. */
  readonly sampleRequestIds: readonly string[];
  /** Whether the control's expectation holds. */
  readonly satisfied: boolean;
}

/** A starting set of controls mapped to evidence queries (SOC 2 / ISO 27001 style). */
export const DEFAULT_CONTROLS: readonly ComplianceControl[] = [
  { id: "AC-root-use", description: "The root token is not used day to day", evidence: { policy: "root" }, expect: "none" },
  {
    id: "AC-policy-change",
    description: "Policy changes are logged",
    evidence: { path: "sys/policies/acl/*", operations: ["create", "update", "delete"] },
  },
  { id: "AC-denied-access", description: "Denied access attempts are recorded", evidence: { path: "*", failed: true } },
  {
    id: "AU-audit-config",
    description: "Audit device configuration is not changed through the API",
    evidence: { path: "sys/audit/*", operations: ["create", "update", "delete"] },
    expect: "none",
  },
];
