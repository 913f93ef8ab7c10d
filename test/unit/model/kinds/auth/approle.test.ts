import { toPlain } from "../../../../../model/graph";
import { appRoleFragment, appRoleAuthSchema } from "../../../../../model/kinds/auth/approle";
import * as approle from "../../../../../model/kinds/auth/approle";
import * as mount from "../../../../../model/kinds/auth/auth-mount";

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

describe("importAppRoleAuth / importAuthMount", () => {
  it("keeps the role names it is told and refuses others", () => {
    const imported = approle.importAppRoleAuth("A(x)", { path: "/apps/", roleNames: ["web"] });
    expect([imported.path, imported.methodType, [...imported.roleNames]]).toEqual(["apps", "approle", ["web"]]);
    expect(() => imported.grantReadRoleId({ policyName: "p", addRules: () => undefined }, "db")).toThrow('AppRoleAuth A(x): no role "db"');
    expect(() => approle.importAppRoleAuth("A(x)", { path: "apps", roleNames: [] })).toThrow(/A\(x\)\.roleNames: name at least one role/);
  });

  it("validates the accessor of an imported mount", () => {
    expect(mount.importAuthMount("K(x)", "kubernetes", { path: "k8s", accessor: "auth_kubernetes_12ab" })).toEqual({
      path: "k8s",
      methodType: "kubernetes",
      accessor: "auth_kubernetes_12ab",
    });
    expect(() => mount.importAuthMount("K(x)", "kubernetes", { path: "k8s", accessor: "12ab" })).toThrow(
      /K\(x\)\.accessor: expected a mount accessor/,
    );
  });
});
