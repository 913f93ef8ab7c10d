import { Testing } from "cdktf";
import { LeaseCountQuota, RateLimitQuota } from "../../../../constructs/cdktf/quotas";
import { Namespace } from "../../../../constructs/cdktf/namespace";
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

  it("live in the root namespace: refused inside a Namespace; dependsOn waits for the namespace the path names", () => {
    expect(() =>
      synth((stack) => new RateLimitQuota(new Namespace(stack, "team", { path: "team" }), "r", { quotaName: "r", rate: 5 })),
    ).toThrow(/RateLimitQuota\(team\/r\): quotas live in the root namespace only .*create the quota outside the namespace/);
    const json = synth((stack) => {
      const team = new Namespace(stack, "team", { path: "team" });
      new RateLimitQuota(stack, "r", { quotaName: "r", path: "team/", rate: 5, dependsOn: [team] });
    });
    const [nsId] = Object.keys(json.resource?.vault_namespace ?? {});
    expect(onlyResource(json, "vault_quota_rate_limit")).toEqual({
      name: "r",
      path: "team/",
      rate: 5,
      depends_on: [`vault_namespace.${nsId}`],
    });
  });
});
