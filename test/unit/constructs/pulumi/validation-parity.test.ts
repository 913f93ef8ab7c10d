/**
 * Validation: each Pulumi component rejects bad props before any resource (not even the
 * component itself) is registered, with the same message the CDKTF construct gives — the model
 * raises it once for both.
 */
import { App, Testing } from "cdktf";
import * as C from "../../../../constructs/cdktf";
import * as P from "../../../../constructs/pulumi";
import { TargetServer } from "../../../../model/target";
import { recording, registered, settle, useMocks } from "./pulumi-harness";

const OPENBAO: TargetServer = { edition: "openbao", version: "2.6.1" };
const VAULT_CE: TargetServer = { edition: "vault-ce", version: "1.21.4" };

interface Case {
  readonly name: string;
  /** Name of the component that must fail. */
  readonly component: string;
  readonly target?: TargetServer;
  readonly cdktf: (stack: C.VaultStack) => void;
  readonly pulumi: (o: { parent: P.VaultStack }) => void;
}

const ROOT = { mountPath: "pki-root", commonName: "Root", ttl: "8760h" };

const CASES: readonly Case[] = [
  {
    name: "KvV2Store",
    component: "kv",
    cdktf: (s) => new C.KvV2Store(s, "kv", { maxVersions: -1 }),
    pulumi: (o) => new P.KvV2Store("kv", { maxVersions: -1 }, o),
  },
  {
    name: "RootCa",
    component: "root",
    cdktf: (s) => new C.RootCa(s, "root", { ...ROOT, ttl: "soon" }),
    pulumi: (o) => new P.RootCa("root", { ...ROOT, ttl: "soon" }, o),
  },
  {
    name: "IntermediateCa (TTL above the root's)",
    component: "int",
    cdktf: (s) =>
      new C.IntermediateCa(s, "int", {
        root: new C.RootCa(s, "root", ROOT),
        mountPath: "pki",
        commonName: "I",
        ttl: "9000h",
        maxLeaseTtl: "9000h",
      }),
    pulumi: (o) =>
      new P.IntermediateCa(
        "int",
        { root: new P.RootCa("root", ROOT, o), mountPath: "pki", commonName: "I", ttl: "9000h", maxLeaseTtl: "9000h" },
        o,
      ),
  },
  {
    name: "PkiRole (TTL above the mount's max)",
    component: "long",
    cdktf: (s) =>
      new C.PkiRole(s, "long", {
        issuer: new C.IntermediateCa(s, "int", {
          root: new C.RootCa(s, "root", ROOT),
          mountPath: "pki",
          commonName: "I",
          ttl: "4000h",
          maxLeaseTtl: "100h",
        }),
        roleName: "long",
        template: "server",
        ttl: "200h",
        allowAnyName: true,
      }),
    pulumi: (o) =>
      new P.PkiRole(
        "long",
        {
          issuer: new P.IntermediateCa(
            "int",
            { root: new P.RootCa("root", ROOT, o), mountPath: "pki", commonName: "I", ttl: "4000h", maxLeaseTtl: "100h" },
            o,
          ),
          roleName: "long",
          template: "server",
          ttl: "200h",
          allowAnyName: true,
        },
        o,
      ),
  },
  {
    name: "PkiHierarchy",
    component: "pki",
    cdktf: (s) =>
      new C.PkiHierarchy(s, "pki", {
        root: ROOT,
        intermediates: [{ mountPath: "pki", commonName: "I", ttl: "9000h", maxLeaseTtl: "9000h" }],
      }),
    pulumi: (o) =>
      new P.PkiHierarchy(
        "pki",
        { root: ROOT, intermediates: [{ mountPath: "pki", commonName: "I", ttl: "9000h", maxLeaseTtl: "9000h" }] },
        o,
      ),
  },
  {
    name: "TransitEngine (duplicate key)",
    component: "t",
    cdktf: (s) => new C.TransitEngine(s, "t", { keys: [{ name: "a" }, { name: "a" }] }),
    pulumi: (o) => new P.TransitEngine("t", { keys: [{ name: "a" }, { name: "a" }] }, o),
  },
  {
    name: "DatabaseSecrets (role max TTL above the mount's)",
    component: "db",
    cdktf: (s) =>
      new C.DatabaseSecrets(s, "db", {
        maxLeaseTtl: "1h",
        connections: [
          {
            name: "pg",
            plugin: "postgresql",
            connectionUrl: "postgresql://{{username}}:{{password}}@pg/app",
            username: "v",
            passwordVariable: "pw",
          },
        ],
        roles: [{ name: "r", connection: "pg", creationStatements: ["x"], maxTtl: "2h" }],
      }),
    pulumi: (o) =>
      new P.DatabaseSecrets(
        "db",
        {
          maxLeaseTtl: "1h",
          connections: [
            {
              name: "pg",
              plugin: "postgresql",
              connectionUrl: "postgresql://{{username}}:{{password}}@pg/app",
              username: "v",
              passwordVariable: "pw",
            },
          ],
          roles: [{ name: "r", connection: "pg", creationStatements: ["x"], maxTtl: "2h" }],
        },
        o,
      ),
  },
  {
    name: "AppRoleAuth (token TTL above max)",
    component: "a",
    cdktf: (s) => new C.AppRoleAuth(s, "a", { roles: [{ name: "r", tokenTtl: "2h", tokenMaxTtl: "1h" }] }),
    pulumi: (o) => new P.AppRoleAuth("a", { roles: [{ name: "r", tokenTtl: "2h", tokenMaxTtl: "1h" }] }, o),
  },
  {
    name: "KubernetesAuth",
    component: "k",
    cdktf: (s) => new C.KubernetesAuth(s, "k", { kubernetesHost: "not a url" }),
    pulumi: (o) => new P.KubernetesAuth("k", { kubernetesHost: "not a url" }, o),
  },
  {
    name: "LdapAuth",
    component: "ldap",
    cdktf: (s) => new C.LdapAuth(s, "ldap", { url: "ldap.example.com" }),
    pulumi: (o) => new P.LdapAuth("ldap", { url: "ldap.example.com" }, o),
  },
  {
    name: "JwtOidcAuth",
    component: "none",
    cdktf: (s) => new C.JwtOidcAuth(s, "none", {}),
    pulumi: (o) => new P.JwtOidcAuth("none", {}, o),
  },
  {
    name: "CertAuth",
    component: "cert",
    cdktf: (s) => new C.CertAuth(s, "cert", { roles: [{ name: "x", certificate: "abc" }] }),
    pulumi: (o) => new P.CertAuth("cert", { roles: [{ name: "x", certificate: "abc" }] }, o),
  },
  {
    name: "AclPolicy",
    component: "bad",
    cdktf: (s) => new C.AclPolicy(s, "bad", { policyName: "App" }),
    pulumi: (o) => new P.AclPolicy("bad", { policyName: "App" }, o),
  },
  {
    name: "SentinelPolicy (not on Vault CE)",
    component: "s",
    target: VAULT_CE,
    cdktf: (s) =>
      new C.SentinelPolicy(s, "s", { policyName: "s", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" }),
    pulumi: (o) =>
      new P.SentinelPolicy("s", { policyName: "s", kind: "rgp", enforcementLevel: "advisory", policy: "main = rule { true }" }, o),
  },
  {
    name: "Namespace (not on Vault CE)",
    component: "ns",
    target: VAULT_CE,
    cdktf: (s) => new C.Namespace(s, "ns", { path: "a" }),
    pulumi: (o) => new P.Namespace("ns", { path: "a" }, o),
  },
  {
    name: "Namespace (two segments)",
    component: "ns",
    cdktf: (s) => new C.Namespace(s, "ns", { path: "a/b" }),
    pulumi: (o) => new P.Namespace("ns", { path: "a/b" }, o),
  },
  {
    name: "RateLimitQuota",
    component: "r",
    cdktf: (s) => new C.RateLimitQuota(s, "r", { quotaName: "r", rate: 0 }),
    pulumi: (o) => new P.RateLimitQuota("r", { quotaName: "r", rate: 0 }, o),
  },
  {
    name: "LeaseCountQuota (not on OpenBao)",
    component: "db",
    cdktf: (s) => new C.LeaseCountQuota(s, "db", { quotaName: "db", maxLeases: 10 }),
    pulumi: (o) => new P.LeaseCountQuota("db", { quotaName: "db", maxLeases: 10 }, o),
  },
  {
    name: "FileAuditDevice",
    component: "f",
    cdktf: (s) => new C.FileAuditDevice(s, "f", { filePath: "/x", mode: "rw" }),
    pulumi: (o) => new P.FileAuditDevice("f", { filePath: "/x", mode: "rw" }, o),
  },
  {
    name: "SocketAuditDevice",
    component: "s",
    cdktf: (s) => new C.SocketAuditDevice(s, "s", { address: "" }),
    pulumi: (o) => new P.SocketAuditDevice("s", { address: "" }, o),
  },
];

function messageOf(build: () => void): string {
  try {
    build();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("expected a validation error");
}

describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_, c) => {
  it("fails with the CDKTF construct's message, before registering the component or any resource", async () => {
    const target = c.target ?? OPENBAO;
    const app: App = Testing.app();
    const expected = messageOf(() => c.cdktf(new C.VaultStack(app, "test", { target })));
    await useMocks();
    const stack = new P.VaultStack("test", { target }, recording());
    expect(messageOf(() => c.pulumi({ parent: stack }))).toBe(expected);
    await settle();
    const names = registered().map((r) => r.name);
    expect(names).toContain("test");
    expect(names.filter((n) => n === c.component || n.startsWith(`${c.component}-`))).toEqual([]);
  });
});
