import { generateKeyPairSync } from "node:crypto";
import { CliIo } from "../../../cli/cli-io";
import { encodeKey, looksLikeSerial, nameRequest, outFiles } from "../../../cli/cert-command";
import { formatEventLine } from "../../../cli/cert-watch";
import { main } from "../../../cli/main";
import { PrivateKey } from "../../../runtime/engines/pki-private-key";

function capture(env: Record<string, string> = {}): CliIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: process.cwd(),
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

describe("vaultsmith cert argument parsing", () => {
  it.each([
    [["cert", "issue", "r", "--cn", "a", "--bogus"], "vaultsmith cert issue: unknown option '--bogus' (see vaultsmith cert issue --help)"],
    [["cert", "issue", "r"], "vaultsmith cert issue: cert issue needs --cn (see vaultsmith cert issue --help)"],
    [["cert", "issue", "--cn", "a"], "missing required argument 'role' (see vaultsmith cert issue --help)"],
    [["cert", "issue", "r", "--cn", "a", "--format", "xml"], '--format must be pem, der, pem_bundle; got "xml"'],
    [["cert", "issue", "r", "--cn", "a", "--private-key-format", "pkcs1"], '--private-key-format must be der, pkcs8; got "pkcs1"'],
    [["cert", "issue", "r", "--cn", "a", "--ttl", "5y"], '--ttl: duration must be seconds or a duration like "720h"'],
    [["cert", "issue", "r", "--cn", "a", "--alt-names", " , "], "--alt-names needs at least one value"],
    [["cert", "sign", "r"], "cert sign needs --csr FILE"],
    [["cert", "sign", "r", "--csr", "x.csr", "--verbatim", "--cn", "a"], "--verbatim signs the CSR's own subject and SANs; drop --cn"],
    [["cert", "revoke", "zz:top"], 'certificate serial must be hex (e.g. "1a:2b:…"), got "zz:top"'],
    [["cert", "revoke"], "missing required argument 'serial' (see vaultsmith cert revoke --help)"],
    [["cert", "status", "a", "b"], "too many arguments for 'status'. Expected 1 argument but got 2. (see vaultsmith cert status --help)"],
    [["cert", "watch"], "cert watch needs --config FILE (see vaultsmith cert watch --help)"],
    [["cert", "watch", "--config", "w.yaml", "extra"], "too many arguments for 'watch'"],
    [["cert", "frob"], "vaultsmith cert: unknown command 'frob' (see vaultsmith cert --help)"],
    [["cert"], "vaultsmith cert: missing command: one of issue, sign, revoke, status, watch (see vaultsmith cert --help)"],
  ])("%j is a one-line usage error with exit 2", async (argv, message) => {
    const io = capture({ VAULT_ADDR: "http://127.0.0.1:1", VAULT_TOKEN: "secret-token" });
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toContain(message);
    expect(io.err().trimEnd().split("\n")).toHaveLength(1);
    expect(io.out()).toBe("");
  });

  it("refuses to run without a server address or token, before any request", async () => {
    const noAddr = capture({ VAULT_TOKEN: "t" });
    expect(await main(["cert", "revoke", "01:02"], noAddr)).toBe(2);
    expect(noAddr.err()).toContain("no server address");
    const noToken = capture({ VAULT_ADDR: "http://127.0.0.1:1" });
    expect(await main(["cert", "revoke", "01:02"], noToken)).toBe(2);
    expect(noToken.err()).toContain("no token: set VAULT_TOKEN");
  });

  it("prints each subcommand's help with exit 0", async () => {
    for (const sub of ["issue", "sign", "revoke", "status", "watch"]) {
      const io = capture();
      expect(await main(["cert", sub, "--help"], io)).toBe(0);
      expect(io.out()).toContain(`Usage: vaultsmith cert ${sub} [options]`);
      expect(io.out()).toContain(`Examples:\n  $ vaultsmith cert ${sub} `);
      expect(io.out()).not.toContain(sub === "issue" ? "cert sign" : "cert issue");
      expect(io.out().endsWith("\n")).toBe(true);
    }
    const all = capture();
    expect(await main(["cert", "--help"], all)).toBe(0);
    expect(all.out()).toMatch(/^ {2}watch \[options\] +keep the certificates/m);
  });

  it("turns name options into Vault's request fields", () => {
    const values = {
      cn: "n.example.com",
      "alt-names": "a.example.com, 10.0.0.1",
      "uri-sans": "spiffe://x/y",
      ttl: "1h30m",
      format: "der",
    };
    expect(nameRequest(values)).toEqual({
      common_name: "n.example.com",
      alt_names: ["a.example.com", "10.0.0.1"],
      uri_sans: ["spiffe://x/y"],
      ttl: "1h30m",
      format: "der",
    });
  });

  it("tells serials from certificate files", () => {
    const none = (): boolean => false;
    expect(looksLikeSerial("4a:2e:79", none)).toBe(true);
    expect(looksLikeSerial("4A2E79E4", none)).toBe(true);
    expect(looksLikeSerial("0x4a-2e", none)).toBe(true);
    expect(looksLikeSerial("cert.pem", none)).toBe(false);
    expect(looksLikeSerial("4a:2e:", none)).toBe(false);
    // A file named like hex is a file.
    expect(looksLikeSerial("abcd", () => true)).toBe(false);
  });

  it("lays out --out-dir files per format, key first", () => {
    expect(Object.values(outFiles("pem", true))).toEqual(["key.pem", "cert.pem", "chain.pem", "fullchain.pem"]);
    expect(Object.values(outFiles("der", true))).toEqual(["key.der", "cert.der", "chain.pem"]);
    expect(Object.values(outFiles("pem_bundle", true))).toEqual(["key.pem", "cert.pem", "chain.pem", "fullchain.pem", "bundle.pem"]);
    expect(outFiles("pem", false).key).toBeUndefined();
  });

  it("encodes keys as their own structure for der and as PKCS#8 for pkcs8", () => {
    const rsa = new PrivateKey(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey);
    const ec = new PrivateKey(generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey);
    expect(encodeKey(rsa, "der", false)).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(encodeKey(ec, "der", false)).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(encodeKey(ec, "pkcs8", false)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(Buffer.isBuffer(encodeKey(ec, "pkcs8", true))).toBe(true);
  });

  it("formats watch events as one line of key=value fields", () => {
    expect(formatEventLine({ at: "T", event: "error", name: "node", error: "VaultHttpError: denied (request r1)", attempt: 0 })).toBe(
      'T error node error="VaultHttpError: denied (request r1)" attempt=0',
    );
  });
});
