import {
  leaseCountQuotaDescriptor,
  rateLimitQuotaDescriptor,
  leaseCountQuotaSchema,
  rateLimitQuotaSchema,
} from "../../../../model/kinds/quotas";

describe("governance descriptors", () => {
  it("quotas in seconds", () => {
    expect(
      rateLimitQuotaDescriptor(rateLimitQuotaSchema.parse({ name: "global", rate: 100, interval: "1m", blockInterval: "5m" }), {
        owner: "q",
      }).attributes,
    ).toEqual({
      name: "global",
      path: "",
      rate: 100,
      interval: 60,
      block_interval: 300,
    });
    expect(
      leaseCountQuotaDescriptor(leaseCountQuotaSchema.parse({ name: "leases", path: "database/", maxLeases: 1000 }), { owner: "q" }),
    ).toEqual({
      type: "vault_quota_lease_count",
      id: "q.quota",
      attributes: { name: "leases", path: "database/", max_leases: 1000 },
    });
  });
});
