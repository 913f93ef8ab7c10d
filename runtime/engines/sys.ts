/**
 * The `sys/` endpoints the runtime needs: health and seal status, typed as the server returns them.
 */
import { POLICIES, Requester } from "../transport/requester";

/** Body of `GET sys/health` (OpenBao returns a subset of Vault's fields). */
export interface HealthBody {
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly standby: boolean;
  readonly performance_standby?: boolean;
  readonly server_time_utc: number;
  readonly version: string;
  readonly cluster_name?: string;
  readonly cluster_id?: string;
}

/** What the status code of `sys/health` means (Vault's documented codes). */
export type HealthState =
  | "active"
  | "standby"
  | "dr-secondary"
  | "performance-standby"
  | "standby-unreachable-active"
  | "uninitialized"
  | "sealed"
  | "removed"
  | "unknown";

/** Health of one node: its state from the status code and the body. */
export interface HealthStatus {
  /** State named from the HTTP status. */
  readonly state: HealthState;
  /** HTTP status `sys/health` answered with. */
  readonly status: number;
  /** Decoded body. */
  readonly body: HealthBody;
}

/** Body of `GET sys/seal-status`. */
export interface SealStatus {
  readonly type: string;
  readonly initialized: boolean;
  readonly sealed: boolean;
  readonly t: number;
  readonly n: number;
  readonly progress: number;
  readonly version: string;
  readonly build_date?: string;
  readonly cluster_name?: string;
  readonly cluster_id?: string;
  readonly storage_type?: string;
}

const STATE_BY_STATUS: Readonly<Record<number, HealthState>> = {
  200: "active",
  429: "standby",
  472: "dr-secondary",
  473: "performance-standby",
  474: "standby-unreachable-active",
  501: "uninitialized",
  503: "sealed",
  530: "removed",
};

/** Typed access to `sys/` endpoints. */
export class SysApi {
  /** `sys/` calls sent through `requester`. */
  constructor(private readonly requester: Requester) {}

  /** `GET sys/health`; every documented status is an answer, not an error. */
  async health(): Promise<HealthStatus> {
    const res = await this.requester.request<HealthBody>(
      { method: "GET", path: "sys/health", acceptStatus: Object.keys(STATE_BY_STATUS).map(Number) },
      POLICIES.nodeStatus,
    );
    if (!res.body) throw new TypeError(`sys/health returned HTTP ${res.status} without a body`);
    return { state: STATE_BY_STATUS[res.status] ?? "unknown", status: res.status, body: res.body };
  }

  /** `GET sys/seal-status`. */
  async sealStatus(): Promise<SealStatus> {
    const res = await this.requester.request<SealStatus>({ method: "GET", path: "sys/seal-status" }, POLICIES.nodeStatus);
    if (!res.body) throw new TypeError("sys/seal-status returned no body");
    return res.body;
  }
}
