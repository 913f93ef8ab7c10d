/**
 * Every construct kind can be imported, in both engines. The kinds are not a hand list: they are
 * the construct classes the curated entry points export (`vaultsmith/cdktf`: subclasses of
 * `Construct`; `vaultsmith/pulumi`: subclasses of `ComponentResource`), and every kind module of
 * `model/kinds/` must be the source of one of them. For each kind the test requires, in each
 * engine: a static `from*` importer whose declared return type is the kind's interface
 * `I<Kind>`, that interface exported from the entry point, and the created class implementing it.
 * Kinds with nothing to import are listed with the reason (the docs say the same), and the list
 * itself is checked (a listed class that gains an importer, or no longer exists, fails).
 *
 * Then each importer is called: it validates like the created construct (a bad mount path or an
 * unknown key/role name is refused with its label) and has the created construct's `grant*`
 * methods, which add the same rules.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import * as ts from "typescript";
import * as C from "../../../constructs/cdktf";
import * as P from "../../../constructs/pulumi";
import { PolicyGrantee } from "../../../model/grants";
import { PathRule } from "../../../policies/policy-document";
import { useMocks } from "./pulumi/pulumi-harness";

const ROOT = join(__dirname, "../../..");

/** Exported classes that are not resource kinds (stacks, bases, composites), with why. */
const NOT_KINDS: Readonly<Record<string, string>> = {
  VaultStack: "the stack itself",
  VaultComponent: "the base of every Pulumi component",
  KvV2StoreBase: "the shared base of KvV2Store and its import",
  PkiHierarchy: "a composite of RootCa, IntermediateCa and PkiRole: import those",
};

/** Kinds with nothing to import, with why (docs/constructs.md "Composing stacks" says the same). */
const NOTHING_TO_IMPORT: Readonly<Record<string, string>> = {
  RateLimitQuota: "no other construct refers to a quota: a stack declares the quotas it owns",
  LeaseCountQuota: "no other construct refers to a quota: a stack declares the quotas it owns",
  FileAuditDevice: "no other construct refers to an audit device",
  SocketAuditDevice: "no other construct refers to an audit device",
};

/** Kind modules that are shared parts, not kinds. */
const SHARED_KIND_MODULES = new Set(["root-namespace.ts", "auth/auth-mount.ts"]);

interface EntryPoint {
  readonly engine: "cdktf" | "pulumi";
  readonly dir: string;
  readonly values: Record<string, unknown>;
  readonly isKind: (value: unknown) => boolean;
}

const ENTRY_POINTS: readonly EntryPoint[] = [
  {
    engine: "cdktf",
    dir: "constructs/cdktf",
    values: C as unknown as Record<string, unknown>,
    isKind: (v) => typeof v === "function" && v.prototype instanceof Construct && !(v.prototype instanceof TerraformStack),
  },
  {
    engine: "pulumi",
    dir: "constructs/pulumi",
    values: P as unknown as Record<string, unknown>,
    isKind: (v) => typeof v === "function" && v.prototype instanceof pulumi.ComponentResource,
  },
];

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(join(ROOT, file), "utf8"), ts.ScriptTarget.ES2022, true);
}

/** Names an entry point exports, and the module each comes from. */
function exportsOf(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const statement of parse(`${dir}/index.ts`).statements) {
    if (!ts.isExportDeclaration(statement) || !statement.exportClause || !ts.isNamedExports(statement.exportClause)) continue;
    const from = (statement.moduleSpecifier as ts.StringLiteral).text;
    for (const e of statement.exportClause.elements) out.set(e.name.text, from);
  }
  return out;
}

/** The class declaration `name` in the construct module `file` and what it says about importing. */
function classFacts(file: string, name: string): { importers: Map<string, string>; implementsNames: string[]; extendsName?: string } {
  const source = parse(file);
  const decl = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === name);
  if (!decl) throw new Error(`${file}: no class ${name}`);
  const importers = new Map<string, string>();
  for (const m of decl.members) {
    const isStatic = ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword);
    if (isStatic && ts.isMethodDeclaration(m) && ts.isIdentifier(m.name) && m.name.text.startsWith("from")) {
      importers.set(m.name.text, m.type?.getText(source) ?? "");
    }
  }
  const clauses = decl.heritageClauses ?? [];
  const names = (kind: ts.SyntaxKind) =>
    clauses.filter((c) => c.token === kind).flatMap((c) => c.types.map((t) => t.expression.getText(source)));
  return { importers, implementsNames: names(ts.SyntaxKind.ImplementsKeyword), extendsName: names(ts.SyntaxKind.ExtendsKeyword)[0] };
}

function moduleFile(dir: string, from: string): string {
  return join(dir, `${from.replace(/^\.\//, "")}.ts`);
}

describe.each(ENTRY_POINTS)("every construct kind of vaultsmith/$engine", ({ dir, values, isKind }) => {
  const exported = exportsOf(dir);
  const kinds = [...exported.keys()].filter((n) => isKind(values[n]) && !(n in NOT_KINDS));

  it("finds the kinds in the entry point (the list is derived, not written down)", () => {
    expect(kinds).toEqual(expect.arrayContaining(["RootCa", "IntermediateCa", "PkiRole", "KvV2Store", "TransitEngine", "AppRoleAuth"]));
    expect(kinds.length).toBeGreaterThanOrEqual(19);
  });

  it("covers every kind module of model/kinds with an exported construct", () => {
    const kindModules = [
      ...readdirSync(join(ROOT, "model/kinds")).filter((f) => f.endsWith(".ts")),
      ...readdirSync(join(ROOT, "model/kinds/auth")).map((f) => `auth/${f}`),
    ].filter((f) => !SHARED_KIND_MODULES.has(f));
    const usedBy = new Map<string, string[]>();
    for (const kind of kinds) {
      const text = readFileSync(join(ROOT, moduleFile(dir, exported.get(kind) ?? "")), "utf8");
      for (const m of text.matchAll(/from "\.\.\/\.\.\/model\/kinds\/([a-z0-9/-]+)"/g)) {
        usedBy.set(`${m[1]}.ts`, [...(usedBy.get(`${m[1]}.ts`) ?? []), kind]);
      }
    }
    expect(kindModules.filter((m) => !usedBy.has(m))).toEqual([]);
  });

  it("has an importer returning I<Kind>, I<Kind> exported, and the created class implementing it — or says why not", () => {
    const missing: string[] = [];
    for (const kind of kinds) {
      const file = moduleFile(dir, exported.get(kind) ?? "");
      const facts = classFacts(file, kind);
      const ctor = values[kind] as unknown as Record<string, unknown>;
      const runtimeImporters = Object.getOwnPropertyNames(ctor).filter((n) => n.startsWith("from") && typeof ctor[n] === "function");
      if (kind in NOTHING_TO_IMPORT) {
        if (runtimeImporters.length > 0) missing.push(`${kind}: listed as having nothing to import but has ${runtimeImporters.join(", ")}`);
        continue;
      }
      const iface = `I${kind}`;
      if (runtimeImporters.length === 0) missing.push(`${kind}: no static from* importer`);
      for (const [method, returnType] of facts.importers) {
        if (
          !returnType
            .split("&")
            .map((t) => t.trim())
            .includes(iface)
        )
          missing.push(`${kind}.${method} returns "${returnType}", not ${iface}`);
      }
      if (!exported.has(iface)) missing.push(`${kind}: ${iface} is not exported from ${dir}/index.ts`);
      const implementsIface =
        facts.implementsNames.includes(iface) ||
        (facts.extendsName !== undefined && classFacts(file, facts.extendsName).implementsNames.includes(iface));
      if (!implementsIface) missing.push(`${kind}: the created class does not implement ${iface}`);
    }
    expect(missing).toEqual([]);
  });

  it("lists no stale exception", () => {
    const classes = [...exported.keys()].filter((n) => isKind(values[n]));
    const known = new Set([...classes, "VaultStack", "VaultComponent", "KvV2StoreBase"]);
    expect(Object.keys(NOTHING_TO_IMPORT).filter((n) => !known.has(n))).toEqual([]);
    expect(Object.keys(NOT_KINDS).filter((n) => n !== "VaultComponent" && n !== "KvV2StoreBase" && !exported.has(n))).toEqual([]);
  });
});

it("both engines have the same kinds", () => {
  const [c, p] = ENTRY_POINTS.map(({ dir, values, isKind }) =>
    [...exportsOf(dir).keys()].filter((n) => isKind(values[n]) && !(n in NOT_KINDS)).sort(),
  );
  expect(p).toEqual(c);
});

/** A policy that records what it is granted. */
function recordingPolicy(): PolicyGrantee & { rules: PathRule[] } {
  const rules: PathRule[] = [];
  return { policyName: "app", rules, addRules: (...r: PathRule[]) => void rules.push(...r) };
}

/** Grant method names of a prototype chain (created constructs' and imports' alike). */
function grantMethods(o: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(o) as object | null; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const n of Object.getOwnPropertyNames(p)) {
      if (n.startsWith("grant") && typeof Object.getOwnPropertyDescriptor(p, n)?.value === "function") names.add(n);
    }
  }
  return [...names].sort();
}

describe("importers validate and grant like the created constructs (cdktf)", () => {
  const stack = () => new TerraformStack(new App(), "app");

  it("TransitEngine.fromMountPath grants on the keys it was told about and refuses any other", () => {
    const s = stack();
    const owned = new C.TransitEngine(s, "owned", { mountPath: "transit", keys: [{ name: "orders" }] });
    const imported = C.TransitEngine.fromMountPath(s, "shared", { mountPath: "/transit/", keyNames: ["orders"] });
    expect(grantMethods(imported)).toEqual(grantMethods(owned));
    const [a, b] = [new C.AclPolicy(s, "a", { policyName: "a" }), new C.AclPolicy(s, "b", { policyName: "b" })];
    owned.grantEncryptDecrypt(a, "orders");
    imported.grantEncryptDecrypt(b, "orders");
    expect(b.document().rules).toEqual(a.document().rules);
    expect(b.document().rules.map((r) => r.path)).toEqual(["transit/encrypt/orders", "transit/decrypt/orders"]);
    expect([...imported.keyNames]).toEqual(["orders"]);
    expect(() => imported.grantEncrypt(b, "payments")).toThrow(
      'TransitEngine.fromMountPath(app/shared): no key "payments" among the keys it was told about (orders); add it to keyNames if the engine holds it',
    );
    expect(() => C.TransitEngine.fromMountPath(s, "bad", { mountPath: "transit", keyNames: [] })).toThrow(
      /keyNames: name at least one key/,
    );
  });

  it("PkiRole.fromRole grants like a created role", () => {
    const s = stack();
    const role = C.PkiRole.fromRole(s, "server", { roleName: "server", mountPath: "/pki-int/" });
    const p = recordingPolicy();
    expect([role.roleName, role.mountPath]).toEqual(["server", "pki-int"]);
    role.grantIssue(p);
    role.grantSign(p);
    expect(p.rules).toEqual([
      { path: "pki-int/issue/server", capabilities: ["update"] },
      { path: "pki-int/sign/server", capabilities: ["update"] },
    ]);
    expect(() => C.PkiRole.fromRole(s, "bad", { roleName: "Server", mountPath: "pki-int" })).toThrow(/roleName/);
  });

  it("IntermediateCa.fromMountPath needs the mount max TTL and checks roles created on it", () => {
    const s = stack();
    expect(() => C.IntermediateCa.fromMountPath(s, "nomax", { mountPath: "pki-int" } as unknown as C.IntermediateCaAttributes)).toThrow(
      /maxLeaseTtl/,
    );
    const ca = C.IntermediateCa.fromMountPath(s, "ca", { mountPath: "pki-int", maxLeaseTtl: "720h" });
    expect([ca.mountPath, ca.issuerRef, ca.maxLeaseTtlSeconds]).toEqual(["pki-int", "default", 2592000]);
    expect(
      () => new C.PkiRole(s, "long", { issuer: ca, roleName: "long", template: "server", allowedDomains: ["x.test"], ttl: "1000h" }),
    ).toThrow(/role TTL 3600000s \(1000h\) exceeds the mount max TTL 2592000s \(720h\) of "pki-int"/);
    const named = C.IntermediateCa.fromIssuer(s, "named", { mountPath: "pki-int", maxLeaseTtl: "720h", issuerRef: "int-2026" });
    expect(named.issuerRef).toBe("int-2026");
  });

  it("DatabaseSecrets, SshSecrets and AppRoleAuth imports refuse names they were not told about", () => {
    const s = stack();
    const db = C.DatabaseSecrets.fromMountPath(s, "db", { mountPath: "database", roleNames: ["app"] });
    const ssh = C.SshSecrets.fromMountPath(s, "ssh", { mountPath: "ssh-client", roleNames: ["deploy"] });
    const approle = C.AppRoleAuth.fromPath(s, "approle", { path: "approle", roleNames: ["app"], accessor: "auth_approle_1a2b3c4d" });
    const p = recordingPolicy();
    db.grantCredentials(p, "app");
    ssh.grantSign(p, "deploy");
    approle.grantCreateSecretId(p, "app");
    approle.grantReadRoleId(p, "app");
    expect(p.rules.map((r) => `${r.path} ${r.capabilities.join(",")}`)).toEqual([
      "database/creds/app read",
      "ssh-client/sign/deploy update",
      "auth/approle/role/app/secret-id update",
      "auth/approle/role/app/role-id read",
    ]);
    expect([approle.methodType, approle.accessor]).toEqual(["approle", "auth_approle_1a2b3c4d"]);
    expect(() => db.grantCredentials(p, "admin")).toThrow(
      /DatabaseSecrets.fromMountPath\(app\/db\): no role "admin" among the roles it was told about \(app\)/,
    );
    expect(() => ssh.grantSign(p, "root")).toThrow(/SshSecrets.fromMountPath\(app\/ssh\): no role "root"/);
    expect(() => approle.grantReadRoleId(p, "other")).toThrow(/no role "other"/);
    expect(() => C.AppRoleAuth.fromPath(s, "badacc", { path: "approle", roleNames: ["app"], accessor: "approle_1" })).toThrow(/accessor/);
  });

  it("auth mount, namespace and policy imports carry what they were told", () => {
    const s = new C.VaultStack(Testing.app(), "app", { target: { edition: "openbao", version: "2.6.1" } });
    expect(C.KubernetesAuth.fromPath(s, "k8s", { path: "/kubernetes/" })).toMatchObject({ path: "kubernetes", methodType: "kubernetes" });
    expect(C.LdapAuth.fromPath(s, "ldap", { path: "ldap" }).methodType).toBe("ldap");
    expect(C.JwtOidcAuth.fromPath(s, "oidc", { path: "oidc" }).methodType).toBe("jwt");
    expect(C.CertAuth.fromPath(s, "cert", { path: "cert" }).methodType).toBe("cert");
    expect(C.SentinelPolicy.fromPolicyName(s, "egp", "deny-weekends").policyName).toBe("deny-weekends");
    expect(() => C.AclPolicy.fromPolicyName(s, "mixed", "Ops")).toThrow(/policyName/);
    const team = C.Namespace.fromPath(s, "team", "/team/");
    const kv = new C.KvV2Store(team, "kv", { mountPath: "secret" });
    const nested = C.Namespace.fromPath(team, "sub", "app");
    expect([team.pathFq, nested.pathFq]).toEqual(["team", "team/app"]);
    const json = JSON.parse(Testing.synth(s, true)) as {
      resource: Record<string, Record<string, { namespace?: string }>>;
    };
    expect(Object.values(json.resource.vault_mount).map((m) => m.namespace)).toEqual(["team"]);
    expect(json.resource.vault_namespace).toBeUndefined();
    expect(kv.mountPath).toBe("secret");
  });
});

describe("importers validate and grant like the created components (pulumi)", () => {
  it("return the kind's grants, with the same validation", async () => {
    await useMocks();
    const p = recordingPolicy();
    const transit = P.TransitEngine.fromMountPath("shared", { mountPath: "transit", keyNames: ["orders"] });
    transit.grantEncrypt(p, "orders");
    P.PkiRole.fromRole("server", { roleName: "server", mountPath: "pki-int" }).grantIssue(p);
    P.DatabaseSecrets.fromMountPath("db", { mountPath: "database", roleNames: ["app"] }).grantCredentials(p, "app");
    P.SshSecrets.fromMountPath("ssh", { mountPath: "ssh", roleNames: ["deploy"] }).grantSign(p, "deploy");
    P.AppRoleAuth.fromPath("approle", { path: "approle", roleNames: ["app"] }).grantCreateSecretId(p, "app");
    expect(p.rules.map((r) => r.path)).toEqual([
      "transit/encrypt/orders",
      "pki-int/issue/server",
      "database/creds/app",
      "ssh/sign/deploy",
      "auth/approle/role/app/secret-id",
    ]);
    expect(() => transit.grantDecrypt(p, "other")).toThrow(
      'TransitEngine.fromMountPath(shared): no key "other" among the keys it was told about (orders)',
    );
    expect(P.IntermediateCa.fromMountPath("ca", { mountPath: "pki-int", maxLeaseTtl: 3600 })).toEqual({
      mountPath: "pki-int",
      mountRef: "pki-int",
      issuerRef: "default",
      maxLeaseTtlSeconds: 3600,
    });
    expect(P.KubernetesAuth.fromPath("k8s", { path: "kubernetes" })).toEqual({ path: "kubernetes", methodType: "kubernetes" });
    expect(P.LdapAuth.fromPath("ldap", { path: "ldap" }).methodType).toBe("ldap");
    expect(P.JwtOidcAuth.fromPath("jwt", { path: "jwt" }).methodType).toBe("jwt");
    expect(P.CertAuth.fromPath("cert", { path: "cert" }).methodType).toBe("cert");
    expect(P.SentinelPolicy.fromPolicyName("rgp").policyName).toBe("rgp");
    expect(() => P.AclPolicy.fromPolicyName("Ops")).toThrow(/policyName/);
    const stack = new P.VaultStack("test", { target: { edition: "openbao", version: "2.6.1" } });
    const ns = P.Namespace.fromPath("team", "team", { parent: stack });
    expect(ns.pathFq).toBe("team");
    expect(() => P.Namespace.fromPath("bad", "a b", { parent: stack })).toThrow(/namespace segments/);
  });
});

describe("PkiHierarchy accessors name what is missing", () => {
  const props = {
    root: { mountPath: "root", commonName: "Root", ttl: "87600h" },
    intermediates: [
      {
        mountPath: "pki-int",
        commonName: "Issuing",
        ttl: "43800h",
        maxLeaseTtl: "720h",
        roles: [{ roleName: "server", template: "server" as const, allowedDomains: ["x.test"], ttl: "24h" }],
      },
    ],
  };

  it("cdktf", () => {
    const h = new C.PkiHierarchy(new TerraformStack(new App(), "s"), "pki", props);
    expect(h.intermediate("pki-int").mountPath).toBe("pki-int");
    expect(h.role("server").roleName).toBe("server");
    expect(() => h.role("client")).toThrow('PkiHierarchy s/pki: no role "client" (roles: server)');
    expect(() => h.intermediate("pki")).toThrow('PkiHierarchy s/pki: no intermediate "pki" (intermediates: pki-int)');
  });

  it("pulumi", async () => {
    await useMocks();
    const h = new P.PkiHierarchy("pki", props);
    expect(h.role("server").roleName).toBe("server");
    expect(() => h.role("client")).toThrow('PkiHierarchy pki: no role "client" (roles: server)');
    expect(() => h.intermediate("x")).toThrow('PkiHierarchy pki: no intermediate "x" (intermediates: pki-int)');
  });
});

describe("stacks that build on stacks (cdktf)", () => {
  const target = { edition: "openbao", version: "2.6.1" } as const;

  it("an imported root without its TTLs makes an intermediate say it cannot check them", () => {
    const s = new C.VaultStack(Testing.app(), "s", { target });
    const blind = new C.IntermediateCa(s, "int", {
      root: C.RootCa.fromMountPath(s, "root", { mountPath: "root" }),
      mountPath: "int",
      commonName: "Int",
      ttl: "8760h",
      maxLeaseTtl: "720h",
    });
    const checked = new C.IntermediateCa(s, "int2", {
      root: C.RootCa.fromMountPath(s, "root2", { mountPath: "root2", ttl: "87600h", maxLeaseTtl: "87600h" }),
      mountPath: "int2",
      commonName: "Int",
      ttl: "8760h",
      maxLeaseTtl: "720h",
    });
    expect(blind.node.metadata.map((m) => m.data)).toEqual([
      'root "root" was imported without ttl and maxLeaseTtl: the intermediate\'s TTL is not checked against it (pass them to RootCa.fromMountPath)',
    ]);
    expect(checked.node.metadata).toEqual([]);
    expect(
      () =>
        new C.IntermediateCa(s, "int3", {
          root: C.RootCa.fromMountPath(s, "root3", { mountPath: "root3", ttl: "87600h", maxLeaseTtl: "4000h" }),
          mountPath: "int3",
          commonName: "Int",
          ttl: "8760h",
          maxLeaseTtl: "720h",
        }),
    ).toThrow(/exceeds the root mount max TTL|mount max TTL/);
  });

  it("an app-owned role on a shared CA lives in the app stack and reads the CA through remote state", () => {
    const app = Testing.app();
    const platform = new C.VaultStack(app, "platform", { target });
    const pki = new C.PkiHierarchy(platform, "pki", {
      root: { mountPath: "root", commonName: "Root", ttl: "87600h" },
      intermediates: [{ mountPath: "pki-int", commonName: "Issuing", ttl: "43800h", maxLeaseTtl: "720h" }],
    });
    const appStack = new C.VaultStack(app, "app", { target });
    const role = new C.PkiRole(appStack, "server", {
      issuer: pki.intermediate("pki-int"),
      roleName: "app-server",
      template: "server",
      allowedDomains: ["app.test"],
      ttl: "24h",
    });
    app.synth();
    const read = (name: string) =>
      JSON.parse(readFileSync(join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8")) as {
        resource: Record<string, Record<string, Record<string, unknown>>>;
        data?: Record<string, unknown>;
        output?: Record<string, unknown>;
      };
    const [p, a] = [read("platform"), read("app")];
    expect(Object.keys(a.resource.vault_pki_secret_backend_role)).toHaveLength(1);
    expect(p.resource.vault_pki_secret_backend_role).toBeUndefined();
    const roleArgs = Object.values(a.resource.vault_pki_secret_backend_role)[0];
    expect(roleArgs.backend).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform\.outputs\.cross-stack-output-/,
    );
    expect(Object.keys(a.data ?? {})).toEqual(["terraform_remote_state"]);
    expect(Object.keys(p.output ?? {}).length).toBeGreaterThanOrEqual(2);
    expect(role.mountPath).toBe("pki-int");
  });
});
