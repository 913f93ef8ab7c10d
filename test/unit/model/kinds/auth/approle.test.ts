import { toPlain } from "../../../../../model/graph";
import { appRoleFragment, appRoleAuthSchema } from "../../../../../model/kinds/auth/approle";

describe("auth fragments", () => {
  it("AppRole: mount without tune, role bound to sorted policies with TTLs in seconds", () => {
    const spec = appRoleAuthSchema.parse({
      roles: [
        { name: "app", policies: ["b", "a"], tokenTtl: "1h", tokenMaxTtl: "4h", secretIdTtl: "24h", tokenBoundCidrs: ["10.0.0.0/8"] },
      ],
    });
    const plain = toPlain(appRoleFragment(spec, { owner: "auth-approle" }).resources);
    expect(plain[0].attributes).toEqual({ type: "approle", path: "approle" });
    expect(plain[1]).toEqual({
      type: "vault_approle_auth_backend_role",
      id: "auth-approle.role-app",
      protect: false,
      attributes: {
        backend: "${auth-approle.mount.path}",
        role_name: "app",
        bind_secret_id: true,
        secret_id_ttl: 86_400,
        token_policies: ["a", "b"],
        token_ttl: 3600,
        token_max_ttl: 14_400,
        token_bound_cidrs: ["10.0.0.0/8"],
      },
    });
  });

  it("a tune block is emitted only when set", () => {
    const spec = appRoleAuthSchema.parse({ tune: { maxLeaseTtl: "8h", listingVisibility: "hidden" } });
    expect(appRoleFragment(spec, { owner: "a" }).resources.find((r) => r.type === "vault_auth_backend")?.attributes.tune).toEqual([
      { max_lease_ttl: "28800s", listing_visibility: "hidden" },
    ]);
  });
});
