import * as P from "../../../../constructs/pulumi";
import { TargetServer } from "../../../../model/target";
import { recording, registered, settle, useMocks, valueOf } from "./pulumi-harness";

const ENTERPRISE: TargetServer = { edition: "vault-enterprise", version: "1.21.4" };

describe("VaultComponent", () => {
  it("every component registers with its vaultsmith:<module>:<Type> token, parented to the stack", async () => {
    await useMocks();
    const stack = new P.VaultStack("test", { target: ENTERPRISE }, recording());
    const o = { parent: stack };
    const root = new P.RootCa("root", { mountPath: "r", commonName: "R", ttl: "8760h" }, o);
    const components: [P.VaultComponent, string][] = [
      [stack, "vaultsmith:index:VaultStack"],
      [new P.AclPolicy("acl", { policyName: "p", rules: [{ path: "x", capabilities: ["read"] }] }, o), "vaultsmith:policy:AclPolicy"],
      [root, "vaultsmith:pki:RootCa"],
      [
        new P.IntermediateCa("int", { root, mountPath: "i", commonName: "I", ttl: "100h", maxLeaseTtl: "100h" }, o),
        "vaultsmith:pki:IntermediateCa",
      ],
      [new P.PkiHierarchy("h", { root: { mountPath: "hr", commonName: "H", ttl: "10h" } }, o), "vaultsmith:pki:PkiHierarchy"],
      [new P.KvV2Store("kv", {}, o), "vaultsmith:kv:KvV2Store"],
      [new P.TransitEngine("tr", {}, o), "vaultsmith:transit:TransitEngine"],
      [new P.DatabaseSecrets("db", {}, o), "vaultsmith:database:DatabaseSecrets"],
      [new P.AppRoleAuth("ar", {}, o), "vaultsmith:auth:AppRoleAuth"],
      [new P.KubernetesAuth("k8s", { kubernetesHost: "https://k8s" }, o), "vaultsmith:auth:KubernetesAuth"],
      [new P.LdapAuth("ldap", { url: "ldaps://l" }, o), "vaultsmith:auth:LdapAuth"],
      [new P.JwtOidcAuth("jwt", { jwksUrl: "https://j/keys" }, o), "vaultsmith:auth:JwtOidcAuth"],
      [new P.CertAuth("cert", {}, o), "vaultsmith:auth:CertAuth"],
      [
        new P.SentinelPolicy("sp", { policyName: "s", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" }, o),
        "vaultsmith:policy:SentinelPolicy",
      ],
      [new P.Namespace("ns", { path: "ns" }, o), "vaultsmith:namespace:Namespace"],
      [new P.RateLimitQuota("rl", { quotaName: "rl", rate: 1 }, o), "vaultsmith:quota:RateLimitQuota"],
      [new P.LeaseCountQuota("lc", { quotaName: "lc", maxLeases: 1 }, o), "vaultsmith:quota:LeaseCountQuota"],
      [new P.FileAuditDevice("fa", { filePath: "stdout" }, o), "vaultsmith:audit:FileAuditDevice"],
      [new P.SocketAuditDevice("sa", { address: "h:1" }, o), "vaultsmith:audit:SocketAuditDevice"],
    ];
    await settle();
    for (const [component, token] of components) {
      const urn = await valueOf(component.urn);
      expect(urn).toMatch(
        new RegExp(
          `::${token === "vaultsmith:index:VaultStack" ? "" : "vaultsmith:index:VaultStack\\$"}${token.replace(/\$/g, "\\$")}::${component.componentName}$`,
        ),
      );
    }
    const tokens = registered()
      .filter((r) => !r.custom)
      .map((r) => r.type);
    expect(new Set(tokens).size).toBe(19);
  });
});
