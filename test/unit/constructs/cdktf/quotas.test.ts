import { Testing } from "cdktf";
import { LeaseCountQuota, RateLimitQuota } from "../../../../constructs/cdktf/quotas";
import { VaultStack } from "../../../../constructs/cdktf/vault-stack";
import { OPENBAO, VAULT_CE, VAULT_ENTERPRISE, onlyResource, synth } from "./synth-helpers";

describe("quotas", () => {
  it("rate limit with intervals in seconds, on any edition", () => {
    for (const target of [OPENBAO, VAULT_CE]) {
      const json = synth(
        (stack) => new RateLimitQuota(stack, "global", { quotaName: "global", rate: 500, interval: "1s", blockInterval: "1m" }),
        target,
      );
      expect(onlyResource(json, "vault_quota_rate_limit")).toEqual({
        name: "global",
        path: "",
        rate: 500,
        interval: 1,
        block_interval: 60,
      });
    }
  });

  it("lease count on Vault Enterprise", () => {
    const json = synth(
      (stack) => new LeaseCountQuota(stack, "db", { quotaName: "db-leases", path: "database/", maxLeases: 1000, inheritable: true }),
      VAULT_ENTERPRISE,
    );
    expect(onlyResource(json, "vault_quota_lease_count")).toEqual({
      name: "db-leases",
      path: "database/",
      max_leases: 1000,
      inheritable: true,
    });
  });

  it("lease count is refused elsewhere; bad values are named", () => {
    const stack = new VaultStack(Testing.app(), "s", { target: OPENBAO });
    expect(() => new LeaseCountQuota(stack, "db", { quotaName: "db", maxLeases: 10 })).toThrow(
      "s/db: lease-count-quotas are not available on the target OpenBao 2.6.1",
    );
    expect(() => new RateLimitQuota(stack, "r", { quotaName: "r", rate: 0 })).toThrow(/RateLimitQuota\(r\)\.rate/);
    const ent = new VaultStack(Testing.app(), "e", { target: VAULT_ENTERPRISE });
    expect(() => new LeaseCountQuota(ent, "z", { quotaName: "z", maxLeases: 0 })).toThrow(/LeaseCountQuota\(z\)\.maxLeases/);
  });
});
