import { LeaseCountQuota, RateLimitQuota } from "../../../../constructs/pulumi/quotas";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("quotas", () => {
  it("rate limit with intervals in seconds; lease count only on Vault Enterprise", async () => {
    await useMocks();
    const ent = new VaultStack("ent", { target: { edition: "vault-enterprise", version: "1.21.4" } });
    new RateLimitQuota("global", { quotaName: "global", rate: 500, interval: "1s", blockInterval: "1m" }, { parent: ent });
    new LeaseCountQuota("db", { quotaName: "db", path: "database/", maxLeases: 10 }, { parent: ent });
    await settle();
    const byName = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(byName.get("global-quota")).toEqual({ name: "global", path: "", rate: 500, interval: 1, blockInterval: 60 });
    expect(byName.get("db-quota")).toEqual({ name: "db", path: "database/", maxLeases: 10 });
  });
});
