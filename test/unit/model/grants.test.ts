import { PathRule } from "../../../policies/policy-document";
import { PolicyGrantee, grantRules } from "../../../model/grants";
import { AppRoleGrants } from "../../../model/kinds/auth/approle";
import { DatabaseGrants } from "../../../model/kinds/database";
import { KvV2Grants } from "../../../model/kinds/kv-v2";
import { PkiRoleGrants } from "../../../model/kinds/pki";
import { TransitGrants } from "../../../model/kinds/transit";

/** A grantee that records what it was given (the engines' AclPolicy does the same through addRules). */
function recorder(): PolicyGrantee & { rules: PathRule[] } {
  const rules: PathRule[] = [];
  return { policyName: "app", rules, addRules: (...r: PathRule[]) => rules.push(...r) };
}

describe("grants as shared objects", () => {
  it("grantRules adds the rules to the policy and returns exactly them", () => {
    const p = recorder();
    const rules: PathRule[] = [{ path: "a/b", capabilities: ["read"] }];
    expect(grantRules(p, rules)).toBe(rules);
    expect(p.rules).toEqual(rules);
  });

  it("KV v2: each grant returns the path rules it added", () => {
    const kv = new KvV2Grants("secret");
    const p = recorder();
    const read = kv.grantRead(p, "app/*");
    expect(read).toEqual([
      { path: "secret/data/app/*", capabilities: ["read"] },
      { path: "secret/metadata/app/*", capabilities: ["read", "list"] },
    ]);
    expect(kv.grantList(p)).toEqual([{ path: "secret/metadata/*", capabilities: ["list"] }]);
    expect(kv.grantDestroy(p, "x")).toEqual([
      { path: "secret/destroy/x", capabilities: ["update"] },
      { path: "secret/metadata/x", capabilities: ["delete"] },
    ]);
    expect(p.rules).toHaveLength(5);
  });

  it("transit: grants a declared key per operation and refuses an unknown key", () => {
    const t = new TransitGrants({ mountPath: "transit", keyNames: new Set(["orders"]), label: "stack/t" });
    const p = recorder();
    expect(t.grantEncryptDecrypt(p, "orders")).toEqual([
      { path: "transit/encrypt/orders", capabilities: ["update"] },
      { path: "transit/decrypt/orders", capabilities: ["update"] },
    ]);
    expect(t.grantVerify(p, "orders")).toEqual([{ path: "transit/verify/orders", capabilities: ["update"] }]);
    expect(() => t.grantSign(p, "other")).toThrow('TransitEngine stack/t: no key "other" (keys: orders)');
    expect(p.rules).toHaveLength(3);
  });

  it("database: credentials of a declared role; an unknown role is refused and grants nothing", () => {
    const d = new DatabaseGrants("db", new Set(["reader"]), "stack/db");
    const p = recorder();
    expect(d.grantCredentials(p, "reader")).toEqual([{ path: "db/creds/reader", capabilities: ["read"] }]);
    expect(() => d.grantCredentials(p, "writer")).toThrow('DatabaseSecrets stack/db: no role "writer"');
    expect(p.rules).toHaveLength(1);
  });

  it("PKI role: issue and sign on the role, revoke on the mount", () => {
    const r = new PkiRoleGrants("pki-int", "server");
    const p = recorder();
    expect(r.grantIssue(p)).toEqual([{ path: "pki-int/issue/server", capabilities: ["update"] }]);
    expect(r.grantSign(p)).toEqual([{ path: "pki-int/sign/server", capabilities: ["update"] }]);
    expect(r.grantRevoke(p)).toEqual([{ path: "pki-int/revoke", capabilities: ["update"] }]);
  });

  it("AppRole: role-id read and secret-id minting on a declared role; an unknown role grants nothing", () => {
    const a = new AppRoleGrants("machines", new Set(["ci"]), "stack/approle");
    const p = recorder();
    expect(a.grantReadRoleId(p, "ci")).toEqual([{ path: "auth/machines/role/ci/role-id", capabilities: ["read"] }]);
    expect(a.grantCreateSecretId(p, "ci")).toEqual([{ path: "auth/machines/role/ci/secret-id", capabilities: ["update"] }]);
    expect(() => a.grantReadRoleId(p, "app")).toThrow('AppRoleAuth stack/approle: no role "app"');
    expect(p.rules).toHaveLength(2);
  });
});
