/**
 * `vaultsmith cert` against a real dev server: issue (files 0600, key only where asked), sign a
 * locally made CSR, revoke and see it on the CRL and OCSP, and the `watch` daemon as a child
 * process renewing its files until SIGTERM.
 */
import { ChildProcess, spawn } from "node:child_process";
import { KeyObject, X509Certificate, createPrivateKey, createPublicKey } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";
import { generateKeyAndCsr } from "../../../runtime/engines/pki-csr";
import { DevServer, startDevServer } from "../../support/dev-server";
import { setUpPkiMount, storedSerials, writePkiRole } from "../../support/pki-mount";
import { selectedFlavors } from "../../support/server-binaries";

const ROOT = join(__dirname, "../../..");

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function spki(key: Parameters<typeof createPublicKey>[0] | KeyObject): string {
  const object = key instanceof KeyObject && key.type === "public" ? key : createPublicKey(key);
  return object.export({ format: "der", type: "spki" }).toString("base64");
}

describe.each(selectedFlavors())("vaultsmith cert against a real %s dev server", (flavor) => {
  let server: DevServer;
  let dir: string;
  let env: Record<string, string>;

  const run = async (args: string[], extraEnv: Record<string, string> = {}, stop?: AbortSignal): Promise<Run> => {
    let out = "";
    let err = "";
    const code = await main(["cert", ...args], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { ...env, ...extraEnv },
      cwd: dir,
      ...(stop ? { stop } : {}),
    });
    return { code, out, err };
  };

  beforeAll(async () => {
    server = await startDevServer(flavor);
    await setUpPkiMount(server, "pki");
    await writePkiRole(server, "pki", "server-cert", {
      allowed_domains: ["example.com"],
      allow_subdomains: true,
      allow_ip_sans: true,
      max_ttl: "1h",
      key_type: "ec",
      key_bits: 256,
    });
    env = { VAULT_ADDR: server.address, VAULT_TOKEN: server.token };
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-cert-cli-"));
  });

  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("issue writes key, certificate and chain as 0600 files and keeps the key off stdout", async () => {
    const result = await run([
      "issue",
      "server-cert",
      "--cn",
      "node1.example.com",
      "--alt-names",
      "node1-alt.example.com,10.0.1.10",
      "--ttl",
      "10m",
      "--out-dir",
      "issued",
      "--json",
    ]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as {
      serial: string;
      files: Record<string, string>;
      sans: { ip: string[]; dns: string[] };
      requestId: string;
    };
    expect(result.out).not.toContain("PRIVATE KEY");
    expect(result.out).not.toContain(server.token);
    expect(summary.sans.ip).toEqual(["10.0.1.10"]);
    expect(summary.requestId).toMatch(/^[0-9a-f-]{36}$/);
    for (const name of ["key.pem", "cert.pem", "chain.pem", "fullchain.pem"]) {
      expect(summary.files[name.replace(".pem", "").replace("fullchain", "fullChain")]).toBe(join(dir, "issued", name));
      expect(statSync(join(dir, "issued", name)).mode & 0o777).toBe(0o600);
    }
    const cert = new X509Certificate(readFileSync(join(dir, "issued", "cert.pem")));
    expect(cert.serialNumber.toLowerCase()).toBe(summary.serial.replace(/:/g, ""));
    // Vault's default key format: the key's own structure (an EC role key → SEC1), matching the certificate.
    const keyPem = readFileSync(join(dir, "issued", "key.pem"), "utf8");
    expect(keyPem).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(spki(createPrivateKey(keyPem))).toBe(spki(cert.publicKey));
    expect(readFileSync(join(dir, "issued", "fullchain.pem"), "utf8")).toContain(readFileSync(join(dir, "issued", "chain.pem"), "utf8"));
    expect(cert.verify(new X509Certificate(readFileSync(join(dir, "issued", "chain.pem"))).publicKey)).toBe(true);

    // Without --out-dir: the summary only, and a note that the key was not kept.
    const bare = await run(["issue", "server-cert", "--cn", "node2.example.com"]);
    expect(bare.code).toBe(0);
    expect(bare.out).toContain("common name node2.example.com");
    expect(bare.out).not.toContain("PRIVATE KEY");
    expect(bare.err).toContain("the private key was not saved");
    // --print-key is the one way to get it on stdout.
    const printed = await run(["issue", "server-cert", "--cn", "node3.example.com", "--private-key-format", "pkcs8", "--print-key"]);
    expect(printed.out).toContain("-----BEGIN PRIVATE KEY-----");
  });

  it("issue fails with exit 1 and a typed message naming the request path, never the token", async () => {
    const before = await storedSerials(server);
    const result = await run(["issue", "no-such-role", "--cn", "x.example.com"]);
    expect(result.code).toBe(1);
    expect(result.err).toContain("PkiRoleNotFoundError");
    expect(result.err).toContain("POST pki/issue/no-such-role");
    expect(result.err).not.toContain(server.token);
    const refused = await run(["issue", "server-cert", "--cn", "evil.example.org"]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('PkiNameNotAllowedError: PKI role "server-cert" does not allow common name "evil.example.org"');
    expect(await storedSerials(server)).toEqual(before);
    const denied = await run(["revoke", "01:02"], { VAULT_TOKEN: "not-a-token" });
    expect(denied.code).toBe(1);
    expect(denied.err).toMatch(/VaultHttpError: POST pki\/revoke failed with HTTP 403/);
    expect(denied.err).not.toContain("not-a-token");
  });

  it("sign certifies a CSR made here — the certificate carries the local public key", async () => {
    const local = await generateKeyAndCsr({ commonName: "signed.example.com", altNames: ["signed-alt.example.com"] }, { type: "ec" });
    writeFileSync(join(dir, "req.csr"), local.csr);
    const result = await run(["sign", "server-cert", "--csr", "req.csr", "--ttl", "5m", "--json"]);
    expect(result.code).toBe(0);
    const signed = JSON.parse(result.out) as {
      certificate: string;
      commonName: string;
      sans: { dns: string[] };
      notAfter: string;
      notBefore: string;
    };
    expect(signed.commonName).toBe("signed.example.com");
    expect(signed.sans.dns).toContain("signed-alt.example.com");
    expect(spki(new X509Certificate(signed.certificate).publicKey)).toBe(spki(local.privateKey.keyObject()));
    expect(Date.parse(signed.notAfter) - Date.now()).toBeLessThanOrEqual(5 * 60_000 + 1_000);
    const verbatim = await run(["sign", "server-cert", "--csr", "req.csr", "--verbatim", "--out-dir", "signed"]);
    expect(verbatim.code).toBe(0);
    const file = new X509Certificate(readFileSync(join(dir, "signed", "cert.pem")));
    expect(spki(file.publicKey)).toBe(spki(local.privateKey.keyObject()));
    expect(() => statSync(join(dir, "signed", "key.pem"))).toThrow();
    // A malformed CSR is refused before anything is sent.
    // Flip a bit of the CSR's signature (its last byte): it still parses, but no longer verifies.
    const der = Buffer.from(local.csr.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
    der[der.length - 1] ^= 0x01;
    writeFileSync(
      join(dir, "bad.csr"),
      `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString("base64")}\n-----END CERTIFICATE REQUEST-----\n`,
    );
    const bad = await run(["sign", "server-cert", "--csr", "bad.csr"]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("PkiInputError: POST pki/sign/server-cert: csr refused before sending");
  });

  it("revoke by plain hex; status then shows revoked per CRL and OCSP, by serial and by file", async () => {
    const issued = await run(["issue", "server-cert", "--cn", "gone.example.com", "--out-dir", "gone", "--json"]);
    const serial = (JSON.parse(issued.out) as { serial: string }).serial;
    const before = JSON.parse((await run(["status", serial, "--json"])).out) as Record<string, { revoked?: boolean; status?: string }> & {
      verdict: string;
    };
    expect(before.verdict).toBe("valid");
    expect(before.crl.revoked).toBe(false);
    expect(before.ocsp.status).toBe("good");

    const plainHex = serial.replace(/:/g, "").toUpperCase();
    const revoked = await run(["revoke", plainHex]);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain(`revoked ${serial} at `);

    const after = await run(["status", serial, "--json"]);
    expect(after.code).toBe(0);
    const status = JSON.parse(after.out) as {
      verdict: string;
      source: string;
      validity: string;
      crl: { revoked: boolean; signatureValid: boolean };
      ocsp: { status: string; signatureValid: boolean };
    };
    expect(status).toMatchObject({ verdict: "revoked", source: "mount", validity: "valid" });
    expect(status.crl).toMatchObject({ revoked: true, signatureValid: true });
    expect(status.ocsp).toMatchObject({ status: "revoked", signatureValid: true });

    const byFile = await run(["status", "gone/cert.pem"]);
    expect(byFile.out).toContain("status      revoked");
    expect(byFile.out).toMatch(/crl {9}revoked at /);
    expect(byFile.out).toMatch(/ocsp {8}revoked at /);
    // A serial never issued: not stored and not on the CRL, so the verdict is "unknown" — although
    // OpenBao 2.6.1's OCSP responder answers "good" for it (OCSP alone does not prove existence).
    const unknown = JSON.parse((await run(["status", "01:02:03", "--json"])).out) as {
      source: null;
      verdict: string;
      crl: { revoked: boolean };
      ocsp: { status: string };
    };
    expect(unknown).toMatchObject({ source: null, verdict: "unknown", crl: { revoked: false } });
    expect(unknown.ocsp.status).toBe("good");
  });

  it("watch refuses an unusable configuration before issuing anything", async () => {
    const before = await storedSerials(server);
    const seedLines = [
      "vault_integration:",
      `  address: "${server.address}"`,
      '  authentication: { method: token, token: "${VAULT_TOKEN}" }',
      "  engines: { pki: { roles: { server: server-cert } } }",
      "certificates:",
      "  - name: node",
      "    common_name: node.example.com",
      "    pkcs12: { keystore: ks.p12, password_env: KS_PASSWORD }",
    ];
    writeFileSync(join(dir, "typo.yaml"), [...seedLines, "    role: sever"].join("\n"));
    const typo = await run(["watch", "--config", "typo.yaml"]);
    expect(typo.code).toBe(2);
    expect(typo.err).toContain(
      `UnknownPkiRoleKeyError: typo.yaml:${seedLines.length + 1}:5: certificates[0].role: unknown role key "sever"`,
    );

    writeFileSync(join(dir, "nopass.yaml"), [...seedLines, "    role: server"].join("\n"));
    const noPassword = await run(["watch", "--config", "nopass.yaml"]);
    expect(noPassword.code).toBe(1);
    expect(noPassword.err).toContain(
      `CertificateSinkError: certificate file ${join(dir, "ks.p12")} cannot be written (checked before issuing)`,
    );
    expect(noPassword.err).toContain("environment variable KS_PASSWORD is not set");
    expect(await storedSerials(server)).toEqual(before);
  });

  describe("watch as a child process", () => {
    let child: ChildProcess | undefined;

    afterEach(() => {
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });

    it("keeps PEM and PKCS#12 files current with 12 s certificates, then stops on SIGTERM with exit 0", async () => {
      const watchDir = join(dir, "watch");
      const config = [
        "vault_integration:",
        `  address: "${server.address}"`,
        "  authentication:",
        "    method: token",
        '    token: "${VAULT_TOKEN}"',
        "  engines:",
        "    pki:",
        "      roles:",
        "        server: server-cert",
        "certificates:",
        "  - name: node",
        "    role: server",
        "    common_name: node.example.com",
        "    alt_names: [127.0.0.1]",
        "    ttl: 12s",
        "    pem: { key: watch/node.key, cert: watch/node.crt, full_chain: watch/node-full.crt }",
        "    pkcs12: { keystore: watch/keystore.p12, truststore: watch/truststore.p12, password_env: KS_PASSWORD }",
        // The reload hook: here a program that records each call, in production `nodetool reloadssl`.
        `    after_renewal: { command: [${JSON.stringify(process.execPath)}, -e, "require('fs').appendFileSync(process.argv[1], 'r')", ${JSON.stringify(join(watchDir, "reloads.log"))}] }`,
      ];
      rmSync(watchDir, { recursive: true, force: true });
      mkdirSync(watchDir, { mode: 0o700 });
      writeFileSync(join(dir, "watch.yaml"), config.join("\n"));
      const lines: Record<string, unknown>[] = [];
      let stderr = "";
      child = spawn(
        process.execPath,
        ["--require", "tsx/cjs", join(ROOT, "cli/main.ts"), "cert", "watch", "--config", join(dir, "watch.yaml"), "--json"],
        {
          cwd: ROOT,
          env: { ...process.env, VAULT_TOKEN: server.token, KS_PASSWORD: "changeit", VAULT_ADDR: "" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        child!.once("exit", (code, signal) => resolve({ code, signal })),
      );
      let buffer = "";
      child.stdout!.on("data", (chunk: Buffer) => {
        buffer += chunk.toString();
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
          buffer = buffer.slice(nl + 1);
        }
      });
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

      const waitFor = async (what: string, test: () => boolean, timeoutMs: number): Promise<void> => {
        const deadline = Date.now() + timeoutMs;
        while (!test()) {
          if (Date.now() > deadline || child!.exitCode !== null)
            throw new Error(`${what} not seen; lines: ${JSON.stringify(lines)}; stderr: ${stderr}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      await waitFor("obtained", () => lines.some((l) => l.event === "obtained"), 30_000);
      const obtained = lines.find((l) => l.event === "obtained")!;
      const fileSerial = (): string => new X509Certificate(readFileSync(join(watchDir, "node.crt"))).serialNumber.toLowerCase();
      expect(fileSerial()).toBe(String(obtained.serial).replace(/:/g, ""));
      const firstKeystore = readFileSync(join(watchDir, "keystore.p12"));
      // The first certificate is written before the service runs on it: no reload for it.
      expect(existsSync(join(watchDir, "reloads.log"))).toBe(false);

      await waitFor("renewed", () => lines.some((l) => l.event === "renewed"), 20_000);
      const renewed = lines.find((l) => l.event === "renewed")!;
      expect(renewed.previousSerial).toBe(obtained.serial);
      expect(Date.parse(String(renewed.at))).toBeLessThan(Date.parse(String(obtained.notAfter)));
      // The files hold the new certificate, still 0600, the key matching it; the keystore was rewritten.
      await waitFor("files renewed", () => fileSerial() === String(renewed.serial).replace(/:/g, ""), 2_000);
      for (const name of ["node.key", "node.crt", "node-full.crt", "keystore.p12", "truststore.p12"]) {
        expect(statSync(join(watchDir, name)).mode & 0o777).toBe(0o600);
      }
      expect(spki(createPrivateKey(readFileSync(join(watchDir, "node.key"), "utf8")))).toBe(
        spki(new X509Certificate(readFileSync(join(watchDir, "node.crt"))).publicKey),
      );
      expect(readFileSync(join(watchDir, "keystore.p12")).equals(firstKeystore)).toBe(false);
      expect(lines.filter((l) => l.event === "error" || l.event === "expired")).toEqual([]);
      // One reload per renewal, run before the renewal is reported.
      expect(readFileSync(join(watchDir, "reloads.log"), "utf8").length).toBeGreaterThanOrEqual(1);

      const signalledAt = Date.now();
      child.kill("SIGTERM");
      const { code, signal } = await exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(5_000);
      expect(lines.at(-1)).toMatchObject({ event: "stopped", reason: "SIGTERM" });
      expect(readFileSync(join(watchDir, "reloads.log"), "utf8")).toHaveLength(lines.filter((l) => l.event === "renewed").length);
      const all = JSON.stringify(lines) + stderr;
      expect(all).not.toContain(server.token);
      expect(all).not.toContain("PRIVATE KEY");
      expect(all).not.toContain("changeit");
    }, 90_000);
  });

  it('watch in-process stops on its abort signal with exit 0 and a last "stopped" line', async () => {
    writeFileSync(
      join(dir, "short.yaml"),
      [
        "certificates:",
        "  - role_name: server-cert",
        "    common_name: short.example.com",
        "    ttl: 1h",
        "    pem: { cert: short.crt }",
      ].join("\n"),
    );
    const controller = new AbortController();
    const running = run(["watch", "--config", "short.yaml"], {}, controller.signal);
    const deadline = Date.now() + 20_000;
    while (!existsCert(join(dir, "short.crt")) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/ obtained short\.example\.com serial=/);
    expect(result.out.trimEnd().split("\n").at(-1)).toMatch(/ stopped reason=abort$/);
  });
});

function existsCert(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}
