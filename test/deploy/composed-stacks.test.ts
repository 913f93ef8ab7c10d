/**
 * Acceptance: stacks that build on stacks. A `platform` stack (PKI root + intermediate + server
 * role, KV v2, a transit key) and an `app` stack built on it, synthesized in one cdktf app and
 * applied with terraform and the real provider to a fresh OpenBao dev server — both ways:
 *
 * - objects: the app is given the platform's construct objects; its own PKI role on the shared
 *   CA reads the CA's mount and issuer through cdktf's remote-state wiring (so planning the app
 *   before the platform is applied fails with `Unable to find remote state`);
 * - importers: the app names the platform's engines by path (`IntermediateCa.fromMountPath`,
 *   `PkiRole.fromRole`, `KvV2Store.fromMountPath`, `TransitEngine.fromMountPath`) and orders itself
 *   with `addDependency`; nothing crosses through state.
 *
 * State is each stack's default: local, in the project folder (`VaultStack`). The app's AppRole
 * token then issues a certificate, reads its KV path and encrypts with its key exactly as
 * granted, is refused elsewhere, and both stacks re-plan clean.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformOutput } from "cdktf";
import * as C from "../../constructs/cdktf";
import { call } from "../support/harness-http";
import { TerraformRun, terraform, terraformEnv } from "./support/terraform";
import { DEPLOY_TARGETS, DeployTarget } from "./support/targets";

const TARGET = { edition: "openbao", version: "2.6.1" } as const;
type Way = "objects" | "importers";

/** The platform: what several apps share. */
function platformStack(app: App): { stack: C.VaultStack; pki: C.PkiHierarchy; kv: C.KvV2Store; transit: C.TransitEngine } {
  const stack = new C.VaultStack(app, "platform", { target: TARGET });
  const pki = new C.PkiHierarchy(stack, "pki", {
    root: { mountPath: "pki-root", commonName: "Platform Root", ttl: "87600h", protect: false },
    intermediates: [
      {
        mountPath: "pki-int",
        commonName: "Platform Issuing",
        ttl: "43800h",
        maxLeaseTtl: "720h",
        roles: [{ roleName: "server", template: "server", allowedDomains: ["platform.test"], allowSubdomains: true, ttl: "72h" }],
      },
    ],
  });
  const kv = new C.KvV2Store(stack, "kv", { mountPath: "shared-kv" });
  const transit = new C.TransitEngine(stack, "transit", {
    mountPath: "transit",
    keys: [
      { name: "app", deletionAllowed: true },
      { name: "billing", deletionAllowed: true },
    ],
  });
  return { stack, pki, kv, transit };
}

/** What the app needs of the platform, however it got hold of it. */
interface PlatformView {
  readonly issuer: C.IIntermediateCa;
  readonly kv: C.IKvV2Store;
  readonly transit: C.ITransitEngine;
}

/** The app: its own PKI role on the shared CA, a policy granting what it needs, an AppRole on it. */
function appStack(app: App, view: (stack: C.VaultStack) => PlatformView): C.VaultStack {
  const stack = new C.VaultStack(app, "app", { target: TARGET });
  const { issuer, kv, transit } = view(stack);
  const role = new C.PkiRole(stack, "app-server", {
    issuer,
    roleName: "app-server",
    template: "server",
    allowedDomains: ["app.test"],
    allowSubdomains: true,
    ttl: "24h",
  });
  const policy = new C.AclPolicy(stack, "policy", { policyName: "app" });
  role.grantIssue(policy);
  kv.grantRead(policy, "app/*");
  transit.grantEncrypt(policy, "app");
  new C.AppRoleAuth(stack, "approle", { roles: [{ name: "app", policies: [policy], tokenTtl: "1h" }] });
  return stack;
}

/**
 * Synthesize both stacks of one way into the project folder `out`; returns their terraform
 * directories. `laterReference` adds, as a later version of the program would, one more
 * reference from the app to the platform (an output of the app reading the transit mount's accessor).
 */
function synthesize(way: Way, out: string, laterReference = false): { platform: string; app: string } {
  const app = new App({ outdir: join(out, "cdktf.out") });
  const platform = platformStack(app);
  const appStackBuilt = appStack(app, (stack) =>
    way === "objects"
      ? { issuer: platform.pki.intermediate("pki-int"), kv: platform.kv, transit: platform.transit }
      : {
          issuer: C.IntermediateCa.fromMountPath(stack, "pki-int", { mountPath: "pki-int", maxLeaseTtl: "720h", ttl: "43800h" }),
          kv: C.KvV2Store.fromMountPath(stack, "kv", "shared-kv"),
          transit: C.TransitEngine.fromMountPath(stack, "transit", { mountPath: "transit", keyNames: ["app"] }),
        },
  );
  if (way === "importers") appStackBuilt.addDependency(platform.stack);
  if (laterReference) new TerraformOutput(appStackBuilt, "transit-accessor", { value: platform.transit.mount.accessor });
  app.synth();
  const dir = (name: string) => join(out, "cdktf.out", "stacks", name);
  return { platform: dir("platform"), app: dir("app") };
}

describe.each<Way>(["objects", "importers"])("acceptance: a platform stack and an app stack built on it (%s)", (way) => {
  const figures: Record<string, string | number> = {};
  let target: DeployTarget;
  let dirs: { platform: string; app: string };
  let out: string;
  let env: NodeJS.ProcessEnv;
  const tf = (dir: string, args: readonly string[]): Promise<TerraformRun> => terraform(dir, [...args, "-no-color"], env);

  beforeAll(async () => {
    target = await DEPLOY_TARGETS[0][1]();
    env = terraformEnv(target.terraformEnv);
    out = mkdtempSync(join(tmpdir(), `deploy-composed-${way}-`));
    dirs = synthesize(way, out);
    for (const dir of [dirs.platform, dirs.app]) {
      const init = await tf(dir, ["init", "-input=false"]);
      if (init.code !== 0) throw new Error(`terraform init failed in ${dir}:\n${init.stderr}`);
    }
  }, 180_000);

  afterAll(async () => {
    await target?.stop();
    process.stderr.write(
      `[deploy] composed stacks (${way}): ${JSON.stringify({ provider: process.env.VAULTSMITH_DEPLOY_PROVIDER, ...figures })}\n`,
    );
  });

  it(
    way === "objects"
      ? "cannot plan the app before the platform is applied: its remote state does not exist yet"
      : "plans the app before the platform is applied: nothing crosses through state",
    async () => {
      const plan = await tf(dirs.app, ["plan", "-input=false"]);
      if (way === "objects") {
        expect(plan.code).toBe(1);
        expect(plan.stderr).toContain("Unable to find remote state");
      } else {
        expect({ code: plan.code, stderr: plan.stderr }).toEqual({ code: 0, stderr: "" });
      }
    },
  );

  it("applies the platform, then the app", async () => {
    const platform = await tf(dirs.platform, ["apply", "-input=false", "-auto-approve"]);
    expect({ code: platform.code, stderr: platform.stderr }).toEqual({ code: 0, stderr: "" });
    const app = await tf(dirs.app, ["apply", "-input=false", "-auto-approve"]);
    expect({ code: app.code, stderr: app.stderr }).toEqual({ code: 0, stderr: "" });
    figures.platform_added = /Resources: (\d+) added/.exec(platform.stdout)?.[1] ?? "?";
    figures.app_added = /Resources: (\d+) added/.exec(app.stdout)?.[1] ?? "?";
    figures.apply_s = +((platform.ms + app.ms) / 1000).toFixed(1);
    expect(app.stdout).toMatch(/Apply complete! Resources: 4 added, 0 changed, 0 destroyed\./);
  });

  it("gives the app's AppRole token exactly what was granted", async () => {
    await target.call("POST", "shared-kv/data/app/db", { data: { password: "app-pw" } });
    await target.call("POST", "shared-kv/data/platform/root", { data: { password: "platform-pw" } });
    const roleId = (await target.call<{ data: { role_id: string } }>("GET", "auth/approle/role/app/role-id")).body.data.role_id;
    const secretId = (await target.call<{ data: { secret_id: string } }>("POST", "auth/approle/role/app/secret-id", {})).body.data
      .secret_id;
    const address = target.addresses[0];
    const login = await call<{ auth: { client_token: string; token_policies: string[] } }>(address, "POST", "auth/approle/login", {
      body: { role_id: roleId, secret_id: secretId },
    });
    expect(login.body.auth.token_policies).toEqual(["app", "default"]);
    const token = login.body.auth.client_token;
    const as = <T>(method: "GET" | "POST", path: string, body?: unknown) => call<T>(address, method, path, { token, body });

    const issued = await as<{ data: { certificate: string; issuing_ca: string } }>("POST", "pki-int/issue/app-server", {
      common_name: "api.app.test",
    });
    expect(issued.status).toBe(200);
    expect(issued.body.data.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect((await as<{ data: { data: unknown } }>("GET", "shared-kv/data/app/db")).body.data.data).toEqual({ password: "app-pw" });
    const sealed = await as<{ data: { ciphertext: string } }>("POST", "transit/encrypt/app", {
      plaintext: Buffer.from("hello").toString("base64"),
    });
    expect(sealed.body.data.ciphertext).toMatch(/^vault:v1:/);

    const refused: [method: "GET" | "POST", path: string, body?: unknown][] = [
      ["POST", "pki-int/issue/server", { common_name: "x.platform.test" }],
      ["POST", "pki-int/sign/app-server", { csr: "x" }],
      ["POST", "pki-root/issue/server", { common_name: "x.platform.test" }],
      ["GET", "shared-kv/data/platform/root"],
      ["POST", "shared-kv/data/app/db", { data: { password: "x" } }],
      ["POST", "transit/encrypt/billing", { plaintext: "aGVsbG8=" }],
      ["POST", "transit/decrypt/app", { ciphertext: sealed.body.data.ciphertext }],
      ["GET", "sys/mounts"],
      ["GET", "auth/approle/role/app/role-id"],
    ];
    const statuses = await Promise.all(
      refused.map(async ([method, path, body]) => `${method} ${path} ${(await as(method, path, body)).status}`),
    );
    expect(statuses).toEqual(refused.map(([method, path]) => `${method} ${path} 403`));
    figures.refused_paths = refused.length;
  });

  it("re-plans both stacks clean", async () => {
    for (const dir of [dirs.platform, dirs.app]) {
      const plan = await tf(dir, ["plan", "-input=false", "-detailed-exitcode"]);
      expect({ dir, code: plan.code, stderr: plan.stderr }).toEqual({ dir, code: 0, stderr: "" });
    }
  });

  if (way === "objects") {
    it("fails the app's plan after a new cross-stack reference until the platform is applied again", async () => {
      expect(synthesize(way, out, true)).toEqual(dirs);
      const stale = await tf(dirs.app, ["plan", "-input=false"]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain("Unsupported attribute");
      expect(stale.stderr).toContain("cross-stack-output-");
      const platform = await tf(dirs.platform, ["apply", "-input=false", "-auto-approve"]);
      expect({ code: platform.code, stderr: platform.stderr }).toEqual({ code: 0, stderr: "" });
      const app = await tf(dirs.app, ["apply", "-input=false", "-auto-approve"]);
      expect({ code: app.code, stderr: app.stderr }).toEqual({ code: 0, stderr: "" });
      expect(app.stdout).toMatch(/transit-accessor = "transit_[0-9a-f]+"/);
      for (const dir of [dirs.platform, dirs.app]) {
        const plan = await tf(dir, ["plan", "-input=false", "-detailed-exitcode"]);
        expect({ dir, code: plan.code, stderr: plan.stderr }).toEqual({ dir, code: 0, stderr: "" });
      }
    });
  }
});
