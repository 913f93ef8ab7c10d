import { AclPolicy } from "../../../../constructs/pulumi/acl-policy";
import { AppRoleAuth } from "../../../../constructs/pulumi/approle-auth";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("AppRoleAuth", () => {
  it("binds roles to typed policies, flattens the tune block, grants role-id and secret-id", async () => {
    await useMocks();
    const reader = new AclPolicy("reader", { policyName: "reader", rules: [{ path: "x", capabilities: ["read"] }] });
    const deployer = new AclPolicy("deployer", { policyName: "deployer" });
    const auth = new AppRoleAuth("approle", {
      path: "machines",
      tune: { defaultLeaseTtl: "1h" },
      roles: [{ name: "app", policies: [reader], tokenTtl: "1h" }],
    });
    auth.grantReadRoleId(deployer, "app");
    auth.grantCreateSecretId(deployer, "app");
    await settle();
    const inputs = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(inputs.get("approle-mount")).toEqual({ type: "approle", path: "machines", tune: { defaultLeaseTtl: "3600s" } });
    expect(inputs.get("approle-role-app")).toMatchObject({
      backend: "ref:approle-mount.path",
      roleName: "app",
      tokenPolicies: ["reader"],
      tokenTtl: 3600,
    });
    expect(deployer.document().rules.map((r) => [r.path, r.capabilities])).toEqual([
      ["auth/machines/role/app/role-id", ["read"]],
      ["auth/machines/role/app/secret-id", ["update"]],
    ]);
    expect(() => auth.grantReadRoleId(deployer, "nope")).toThrow('AppRoleAuth approle: no role "nope"');
  });
});
