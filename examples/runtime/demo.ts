/**
 * `npm run demo`: build the server if it is not cached yet, start a local dev server (OpenBao by default; `VAULTSMITH_SERVER=vault` for
 * HashiCorp Vault), write a secret twice, read both versions back, print the server's version and
 * health; then (only on the server it started itself), as an application would: log in with AppRole (set up by the operator part with the
 * root token), write a batch of secrets, read one hot secret many times through the cache, print
 * the client's Prometheus metrics, revoke its token; and then the certificate job of the Cassandra
 * certificate manager (see {@link certificateJob}):
 *
 * 1. the PKI hierarchy declared by the example stack (`examples/cdktf/cassandra-estate.ts`: root at
 *    `pki-root`, intermediate at `pki`, roles `server-cert`/`client-cert`, CRL/OCSP URLs, in the
 *    seed's namespace) is compiled to the resource graph and applied from those descriptors by API
 *    calls (`apply-pki-hierarchy.ts`) — `cdktf deploy` cannot run here, it needs the terraform
 *    provider; the roles on the server are then compared with the model;
 * 2. the seed's request `pki/issue/server-cert` is sent verbatim and what comes back is printed
 *    (serial, SANs, not-after — never the key);
 * 3. an 8 s certificate is renewed twice by a CertificateManager while a Node TLS server, fed by a
 *    SecureContextProvider, answers a handshake loop; the loop's successes, failures and serials
 *    are printed;
 * 4. a certificate is revoked and checked on the CRL and through OCSP against one that is not;
 *
 * and then the Cassandra job (`cassandra-job.ts`): a real Cassandra node, dynamic Cassandra
 * credentials from the database engine (logged in with, renewed, revoked), a client properties
 * file rendered from them in memory, and a record encrypted with the `cassandra-encryption`
 * transit key, which a RotationScheduler then rotates.
 *
 * With `VAULTSMITH_SERVER=external` it uses the server at `VAULT_ADDR` with `VAULT_TOKEN` (and
 * `VAULT_CACERT` for a private CA), starts nothing and changes nothing but its demo secret: the
 * application part and the certificate job are skipped there (they would enable AppRole, write a
 * policy, create a namespace and mount two PKI engines on a server not given to the demo to
 * throw away).
 *
 * Secret values and private keys are never printed: the demo prints whether what it read matches
 * what it wrote, and certificates by serial, names and dates.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { AddressInfo } from "node:net";
import { connect, createServer } from "node:tls";
import {
  AppRoleAuth,
  CertificateManager,
  POLICIES,
  ParsedCertificate,
  SecureContextProvider,
  TokenManager,
  VaultClient,
  VaultClientOptions,
  countTokenEvents,
} from "../../runtime";
import { AttributeValue, ResourceDescriptor } from "../../model/graph";
import { namedFetch } from "../../cli/errors";
import { cassandraJob } from "./cassandra-job";
import { applyPkiDescriptors, exampleStackPki, roleDifferences } from "./apply-pki-hierarchy";
import { buildServers } from "../../tools/server-build";
import { startDevServer } from "../../test/support/dev-server";
import { selectedFlavors } from "../../test/support/server-binaries";

interface Target {
  readonly label: string;
  /** Which server it is (`external` when not started here). */
  readonly flavor: string;
  /** True for a server the demo started itself: only there may it change auth configuration. */
  readonly disposable: boolean;
  readonly options: VaultClientOptions;
  readonly stop: () => Promise<void>;
}

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`VAULTSMITH_SERVER=external needs ${name}`);
  return value;
}

/**
 * Fail at once, naming the address and the cause, when an external server cannot be reached (the
 * client would otherwise retry for its whole deadline before giving up).
 */
export async function reachable(address: string, ca?: string, timeoutMs = 5_000): Promise<void> {
  const call = namedFetch(address, ca);
  const url = `${address.replace(/\/+$/, "")}/v1/sys/health?standbyok=true&sealedcode=200&uninitcode=200`;
  await call(url, { method: "GET", headers: {}, signal: AbortSignal.timeout(timeoutMs) });
}

async function target(): Promise<Target> {
  const choice = process.env.VAULTSMITH_SERVER ?? "openbao";
  if (choice === "external") {
    const address = requireEnv("VAULT_ADDR");
    const ca = process.env.VAULT_CACERT ? readFileSync(process.env.VAULT_CACERT, "utf8") : undefined;
    await reachable(address, ca);
    return {
      label: `external server ${address}`,
      flavor: "external",
      disposable: false,
      options: { address, token: requireEnv("VAULT_TOKEN"), tls: { ca } },
      stop: async () => undefined,
    };
  }
  const [flavor] = selectedFlavors(choice);
  // OpenBao is fetched when missing; HashiCorp Vault is the user's own binary (VAULT_BINARY or vault on the PATH).
  if (flavor === "openbao") buildServers(["openbao"]);
  const server = await startDevServer(flavor);
  return {
    label: `local ${flavor} dev server ${server.address}`,
    flavor,
    disposable: true,
    options: { address: server.address, token: server.token },
    stop: server.stop,
  };
}

/** Operator part: an AppRole `demo-app` allowed to use `secret/vaultsmith-demo/app/*` only. */
async function setUpAppRole(admin: VaultClient): Promise<{ roleId: string; secretId: string }> {
  const write = (path: string, body: unknown) => admin.request({ method: "POST", path, body }, POLICIES.idempotentWrite);
  const mounts = await admin.request<Record<string, unknown>>({ method: "GET", path: "sys/auth" }, POLICIES.read);
  if (!mounts.body || !("approle/" in mounts.body)) await write("sys/auth/approle", { type: "approle" });
  const policy = ['path "secret/data/vaultsmith-demo/app/*" { capabilities = ["create", "read", "update"] }'].join("\n");
  await admin.request({ method: "PUT", path: "sys/policies/acl/demo-app", body: { policy } }, POLICIES.idempotentWrite);
  await write("auth/approle/role/demo-app", { token_policies: ["demo-app"], token_ttl: "60s", token_max_ttl: "10m", secret_id_ttl: "10m" });
  const role = await admin.request<{ data: { role_id: string } }>(
    { method: "GET", path: "auth/approle/role/demo-app/role-id" },
    POLICIES.read,
  );
  const secret = await admin.request<{ data: { secret_id: string } }>(
    { method: "POST", path: "auth/approle/role/demo-app/secret-id" },
    POLICIES.creatingWrite,
  );
  if (!role.body || !secret.body) throw new Error("AppRole set-up returned no role_id / secret_id");
  return { roleId: role.body.data.role_id, secretId: secret.body.data.secret_id };
}

/** Application part: AppRole login, batch writes, cached reads, metrics. */
async function asAnApplication(admin: VaultClient, options: VaultClientOptions): Promise<void> {
  const credentials = await setUpAppRole(admin);
  const app = new VaultClient({ ...options, token: undefined });
  const tokens = new TokenManager({ requester: app, methods: [new AppRoleAuth(credentials)], revokeOnStop: true });
  countTokenEvents(tokens, app.metrics);
  try {
    await tokens.token();
    const info = tokens.info;
    console.log(
      `  app logged in with AppRole: policies [${info?.policies.join(", ")}], renewable=${info?.renewable}, accessor ${info?.accessor}`,
    );

    const items = Array.from({ length: 200 }, (_, i) => ({
      path: `vaultsmith-demo/app/item-${i}`,
      data: { value: randomBytes(8).toString("hex") },
    }));
    const started = Date.now();
    const results = await app.kv().writeBatch(items, { concurrency: 16 });
    const failed = results.filter((r) => !r.ok).length;
    console.log(
      `  batch of ${items.length} writes (16 in flight): ${failed} failed, ${((items.length / (Date.now() - started)) * 1000).toFixed(0)} secrets/s`,
    );
    const denied = await app
      .kv()
      .write("vaultsmith-demo/elsewhere", { x: 1 })
      .then(
        () => "allowed",
        (e: Error) => e.message,
      );
    console.log(`  a write outside the app's policy: ${denied}`);

    const reads = 1_000;
    const readStart = process.hrtime.bigint();
    for (let i = 0; i < reads; i++) await app.kv().read("vaultsmith-demo/app/item-0");
    const perRead = Number(process.hrtime.bigint() - readStart) / 1e6 / reads;
    const stats = app.cache?.stats();
    console.log(`  ${reads} reads of one hot secret: ${perRead.toFixed(3)} ms each, cache hits ${stats?.hits}, misses ${stats?.misses}`);

    const metrics = (await app.metrics.text())
      .split("\n")
      .filter((line) => /^vaultsmith_(requests_total|cache_lookups_total|token_events_total)/.test(line));
    console.log("  metrics (excerpt):");
    for (const line of metrics) console.log(`    ${line}`);
  } finally {
    await tokens.stop();
    await app.close();
  }
}

/** What the demo says about how the hierarchy got onto the server (the brief's wording, asserted by the unit test). */
export const HOW_APPLIED =
  "applied from the model by API calls; deploying it with `cdktf deploy` needs the terraform provider (see the deploy issue: README, Known gaps)";

/** Seconds (number or numeric string, as descriptors hold TTLs) as whole hours when they divide, else seconds. */
function ttl(value: AttributeValue | undefined): string {
  const seconds = Number(value);
  return Number.isInteger(seconds / 3600) ? `${seconds / 3600}h` : `${seconds}s`;
}

function list(value: AttributeValue | undefined): string {
  return Array.isArray(value) && value.length > 0 ? value.map(String).join(", ") : "none";
}

/**
 * The hierarchy the PKI descriptors declare, one line per CA and role, read from the descriptors
 * themselves so what the demo prints is what it applies.
 */
export function describeHierarchy(descriptors: readonly ResourceDescriptor[]): string[] {
  const of = (type: string): ResourceDescriptor[] => descriptors.filter((d) => d.type === type);
  const mountPath = (id: string): string => String(descriptors.find((d) => d.id === id)?.attributes.path ?? "?");
  const ownerMount = (d: ResourceDescriptor): string => mountPath(`${d.id.split(/[./]/)[0]}.mount`);
  const urls = new Map(of("vault_pki_secret_backend_config_urls").map((d) => [ownerMount(d), d.attributes]));
  const where = (mount: string): string => {
    const u = urls.get(mount);
    return u ? `; CRL ${list(u.crl_distribution_points)}, OCSP ${list(u.ocsp_servers)}` : "";
  };
  const lines: string[] = [];
  for (const root of of("vault_pki_secret_backend_root_cert")) {
    const mount = ownerMount(root);
    const a = root.attributes;
    lines.push(
      `root CA      ${mount}: "${String(a.common_name)}", ${String(a.key_type)} ${String(a.key_bits)}, ttl ${ttl(a.ttl)}${where(mount)}`,
    );
  }
  for (const signed of of("vault_pki_secret_backend_root_sign_intermediate")) {
    const mount = ownerMount(signed);
    const csr = descriptors.find((d) => d.type === "vault_pki_secret_backend_intermediate_cert_request" && ownerMount(d) === mount);
    const a = signed.attributes;
    const key = csr ? `${String(csr.attributes.key_type)} ${String(csr.attributes.key_bits)}, ` : "";
    const signer = String(a.backend).replace(/^\$\{(.+)\.mount\.path\}$/, (_m, owner: string) => mountPath(`${owner}.mount`));
    lines.push(`intermediate ${mount}: "${String(a.common_name)}", ${key}signed by ${signer}, ttl ${ttl(a.ttl)}${where(mount)}`);
  }
  for (const role of of("vault_pki_secret_backend_role")) {
    const a = role.attributes;
    const usage = [a.server_flag && "server", a.client_flag && "client", a.code_signing_flag && "code-signing"].filter(Boolean).join("+");
    const names = [
      `${a.allow_bare_domains ? "" : "subdomains of "}${list(a.allowed_domains)}${a.allow_bare_domains && a.allow_subdomains ? " and their subdomains" : ""}`,
      a.allow_ip_sans ? "IP SANs" : undefined,
      a.allow_localhost ? "localhost" : undefined,
    ].filter((n) => n !== undefined);
    lines.push(
      `role         ${ownerMount(role)}/roles/${String(a.name)}: ${usage}, names ${names.join(" + ")}, ttl ${ttl(a.ttl)} (max ${ttl(a.max_ttl)})`,
    );
  }
  return lines;
}

/** Serial, names and validity of a certificate — what an operator checks; the key is not an argument, so it cannot show. */
export function describeCertificate(certificate: ParsedCertificate): string[] {
  const s = certificate.sans;
  const sans = [...s.dns.map((n) => `DNS:${n}`), ...s.ip.map((n) => `IP:${n}`), ...s.uri.map((n) => `URI:${n}`)];
  return [
    `serial    ${certificate.serial.colon}`,
    `subject   ${certificate.subject}, issued by ${certificate.issuer}`,
    `SANs      ${sans.join(", ") || "none"}`,
    `not after ${certificate.notAfter.toISOString()} (${certificate.keyAlgorithm.type}${certificate.keyAlgorithm.curve ? ` ${certificate.keyAlgorithm.curve}` : ""}${certificate.keyAlgorithm.bits ? ` ${certificate.keyAlgorithm.bits}` : ""}, ${certificate.extendedKeyUsages.join(", ")})`,
  ];
}

/** A serial shortened for a progress line: its first four bytes. */
export function shortSerial(colon: string): string {
  return colon.length > 11 ? `${colon.slice(0, 11)}…` : colon;
}

/** One TLS handshake as the loop saw it. */
export interface HandshakeResult {
  /** Whether the handshake completed and the chain and host name verified. */
  readonly ok: boolean;
  /** Serial of the certificate presented (colon form), when one was. */
  readonly serial?: string;
}

/** `N handshakes: N ok, N failed; serials seen in order: a, b, c`. */
export function summariseHandshakes(results: readonly HandshakeResult[]): string {
  const ok = results.filter((r) => r.ok).length;
  const serials = [...new Set(results.filter((r) => r.serial !== undefined).map((r) => r.serial as string))];
  return `${results.length} handshakes: ${ok} ok, ${results.length - ok} failed; serials seen in order: ${serials.map(shortSerial).join(", ") || "none"}`;
}

/** One verifying TLS handshake with `servername` to 127.0.0.1:`port`, trusting `ca` only. */
function handshake(port: number, ca: string, servername: string): Promise<HandshakeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername });
    socket.setTimeout(3_000, () => socket.destroy(new Error("timeout")));
    socket.once("secureConnect", () => {
      const serial = socket.getPeerCertificate().serialNumber?.toLowerCase();
      resolve({ ok: socket.authorized, serial: serial?.match(/../g)?.join(":") });
      socket.destroy();
    });
    socket.once("error", () => resolve({ ok: false }));
  });
}

/** Seconds from `start` to `at` (now by default), for progress lines. */
function since(start: number, at = Date.now()): string {
  return `t+${((at - start) / 1000).toFixed(1)} s`;
}

/**
 * The Cassandra certificate manager's job on the dev server (see the module doc). `admin` holds
 * the root token: it applies the hierarchy; the rest goes through a client in the stack's namespace.
 */
async function certificateJob(admin: VaultClient, options: VaultClientOptions, target: string): Promise<void> {
  console.log("certificate job of the Cassandra certificate manager");
  const { estate, descriptors } = exampleStackPki({ VAULTSMITH_TARGET: target });
  const namespace = estate.namespace;
  console.log(
    `  PKI hierarchy declared by the example stack (examples/cdktf/cassandra-estate.ts, from its seed YAML) for ${target}, namespace ${namespace ?? "(root)"}:`,
  );
  for (const line of describeHierarchy(descriptors)) console.log(`    ${line}`);
  const started = Date.now();
  const applied = await applyPkiDescriptors(admin, descriptors);
  console.log(`  ${applied.steps.length} descriptors ${HOW_APPLIED} (${Date.now() - started} ms)`);
  const vault = new VaultClient({ ...options, ...(namespace !== undefined ? { namespace } : {}) });
  try {
    const roles = descriptors.filter((d) => d.type === "vault_pki_secret_backend_role");
    const checks = await Promise.all(
      roles.map(async (role) => {
        const model = applied.applied.get(role.id)?.attributes ?? {};
        const res = await vault.request<{ data: Record<string, unknown> }>(
          { method: "GET", path: `${String(model.backend)}/roles/${String(model.name)}` },
          POLICIES.read,
        );
        const diff = roleDifferences(model, res.body?.data ?? {});
        return `${String(model.name)} ${diff.length === 0 ? "matches" : `DIFFERS in ${diff.map((d) => d.attribute).join(", ")}`}`;
      }),
    );
    console.log(`  roles read back from the server against the model's attributes: ${checks.join("; ")}`);
    if (checks.some((c) => c.includes("DIFFERS"))) process.exitCode = 1;

    const pki = vault.pki("pki");
    const rootPem = (await vault.pki(`${pki.mount}-root`).caCertificate()).pem;

    // 2. The seed's request, verbatim.
    const seed = {
      common_name: "cassandra-node-1.example.com",
      alt_names: ["cassandra-node-1", "10.0.1.100"],
      ttl: "720h",
      format: "pem",
      private_key_format: "der",
      exclude_cn_from_sans: false,
    } as const;
    console.log(`  the seed's request, verbatim: POST pki/issue/server-cert ${JSON.stringify(seed)}`);
    const seedCert = (await pki.issue("server-cert", seed)).parsed;
    for (const line of describeCertificate(seedCert)) console.log(`    ${line}`);

    // 3. An 8 s certificate renewed twice while a TLS server keeps answering.
    const provider = new SecureContextProvider();
    const manager = new CertificateManager({ requester: vault, mount: pki.mount });
    const tlsServer = createServer({ SNICallback: provider.sniCallback }, (socket) => socket.end());
    const results: HandshakeResult[] = [];
    const loopStart = Date.now();
    try {
      const renewedTwice = new Promise<void>((resolve, reject) => {
        let renewals = 0;
        manager.on("renewed", (e) => {
          console.log(
            `    ${since(loopStart)} renewed: ${shortSerial(e.previousSerial)} → ${shortSerial(e.serial)}, next renewal planned at ${since(loopStart, e.renewAt.getTime())}`,
          );
          if (++renewals === 2) resolve();
        });
        manager.on("expired", (e) => reject(new Error(`certificate ${e.serial} expired without a renewal`)));
      });
      const first = await manager.manage({
        name: "cassandra-node-1",
        role: "server-cert",
        purpose: "server",
        request: { common_name: "cassandra-node-1.example.com", alt_names: ["10.0.1.100"], ttl: "8s" },
        secureContext: provider,
      });
      await new Promise<void>((resolve) => tlsServer.listen(0, "127.0.0.1", resolve));
      const port = (tlsServer.address() as AddressInfo).port;
      console.log(
        `  CertificateManager keeps an 8 s certificate (key generated locally) for a Node TLS server on 127.0.0.1:${port}; a client handshakes every 100 ms, trusting the root only:`,
      );
      console.log(
        `    ${since(loopStart)} obtained ${shortSerial(first.parsed.serial.colon)}, not after ${first.parsed.notAfter.toISOString()}`,
      );
      let looping = true;
      const loop = (async () => {
        while (looping) {
          results.push(await handshake(port, rootPem, "cassandra-node-1.example.com"));
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      await renewedTwice;
      await new Promise((resolve) => setTimeout(resolve, 500));
      looping = false;
      await loop;
      console.log(`    ${summariseHandshakes(results)}`);
      if (results.some((r) => !r.ok)) process.exitCode = 1;

      // 4. Revocation, on the CRL and through OCSP.
      const revoked = seedCert.serial.colon;
      const good = manager.current("cassandra-node-1")?.parsed.serial.colon ?? "";
      await pki.revoke(revoked);
      console.log(`  revoked the seed's certificate ${shortSerial(revoked)}; the TLS server's current one ${shortSerial(good)} is not`);
      const [ocspRevoked, ocspGood] = await Promise.all([pki.ocsp(revoked), pki.ocsp(good)]);
      console.log(
        `    OCSP (signed by the issuer: ${ocspRevoked.signatureValid && ocspGood.signatureValid}): revoked one ${ocspRevoked.status}, current one ${ocspGood.status}`,
      );
      const onCrlAtOnce = await pki.isRevokedPerCrl(revoked);
      console.log(
        `    CRL right after revoking: ${onCrlAtOnce ? "listed" : "not listed yet (the stack declares auto_rebuild: the CRL is rebuilt on its schedule, not per revocation)"}`,
      );
      if (!onCrlAtOnce) {
        await vault.request({ method: "GET", path: `${pki.mount}/crl/rotate` }, POLICIES.read);
        const crl = await pki.crl();
        console.log(
          `    CRL after GET ${pki.mount}/crl/rotate (forced rebuild): revoked one ${crl.find(revoked) ? "listed" : "NOT listed"}, current one ${crl.find(good) ? "LISTED" : "not listed"} (${crl.entries.length} entr${crl.entries.length === 1 ? "y" : "ies"}, signature valid: ${crl.signatureValid})`,
        );
        if (!crl.find(revoked) || crl.find(good)) process.exitCode = 1;
      }
      if (ocspRevoked.status !== "revoked" || ocspGood.status !== "good") process.exitCode = 1;
    } finally {
      await manager.stop();
      await new Promise<void>((resolve) => (tlsServer.listening ? tlsServer.close(() => resolve()) : resolve()));
    }
  } finally {
    await vault.close();
  }
}

async function main(): Promise<void> {
  const t = await target();
  const client = new VaultClient(t.options);
  try {
    console.log(`vaultsmith demo against the ${t.label}`);
    const health = await client.sys.health();
    const seal = await client.sys.sealStatus();
    console.log(
      `  server version ${health.body.version}, health ${health.state} (HTTP ${health.status}), sealed=${seal.sealed}, storage=${seal.storage_type ?? "n/a"}`,
    );

    const path = `vaultsmith-demo/${randomBytes(4).toString("hex")}`;
    const first = { password: randomBytes(12).toString("base64url") };
    const second = { password: randomBytes(12).toString("base64url") };
    const v1 = await client.kv().write(path, first);
    const v2 = await client.kv().write(path, second, { cas: v1.version });
    console.log(`  wrote secret/${path} twice: versions ${v1.version} and ${v2.version} (second write with check-and-set)`);

    const latest = await client.kv().read(path);
    const old = await client.kv().read(path, { version: v1.version });
    const matches = latest?.data.password === second.password && old?.data.password === first.password;
    console.log(
      `  read back latest (v${latest?.metadata.version}) and v${old?.metadata.version}: ${matches ? "both match what was written" : "MISMATCH"}`,
    );
    if (!matches) process.exitCode = 1;
    if (t.disposable) {
      await asAnApplication(client, t.options);
      const edition = t.flavor === "vault" ? "vault-ce" : "openbao";
      await certificateJob(client, t.options, `${edition}@${health.body.version}`);
      await cassandraJob(client);
    } else
      console.log(
        "  application part and certificate job skipped: they would enable AppRole, write a policy, create a namespace and mount PKI engines on a server you did not give the demo to throw away",
      );
  } finally {
    await client.close();
    await t.stop();
    if (t.disposable) console.log("  stopped");
  }
}

// Run only as a script, so the unit test can import the pure helpers above.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
