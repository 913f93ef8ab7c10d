/**
 * The operations commands refuse bad usage with exit 2 and a line saying what to fix, before any
 * server is contacted (no server runs here; VAULT_ADDR points at a closed port to prove it).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/main";

describe("dr, audit and namespace commands: bad usage", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "vaultsmith-ops-cli-"));
    writeFileSync(join(dir, "ce.yaml"), "target:\n  edition: vault-ce\n  version: 1.21.4\ntenants:\n  - name: acme\n");
    writeFileSync(join(dir, "audit.log"), "");
    writeFileSync(join(dir, "not.snap"), "not a snapshot");
    writeFileSync(join(dir, "backup.json"), '{"format":"something-else"}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]): Promise<{ code: number; err: string; out: string }> => {
    let err = "";
    let out = "";
    const code = await main(args, {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { VAULT_ADDR: "http://127.0.0.1:9", VAULT_TOKEN: "t" },
      cwd: dir,
    });
    return { code, err, out };
  };

  it.each([
    [["dr", "backup", "--dir", "b"], "give a retention"],
    [["dr", "backup", "--dir", "b", "--keep-last", "0"], "--keep-last"],
    [["dr", "backup", "--dir", "b", "--keep-last", "2", "--every", "soon"], "--every"],
    [["dr", "drill", "--kv-mount", "secret"], "--target is required"],
    [["dr", "drill", "--target", "http://x:1", "--unseal-key-file", "k"], "--kv-mount is required"],
    [["dr", "kv-restore", "backup.json"], "--path"],
    [["dr", "kv-restore", "backup.json", "--path", "a"], 'expected "vaultsmith-kv-backup/1"'],
    [["dr", "snapshot", "verify", "not.snap"], "invalid Raft snapshot"],
    [["dr", "snapshot", "restore", "not.snap", "--yes"], "invalid Raft snapshot"],
    [["dr", "replication", "mirror", "status"], "<kind> must be dr or performance"],
    [["dr", "replication", "dr", "enable-secondary"], "token: is required"],
    [["audit", "watch"], "exactly one of --file, --listen or --http"],
    [["audit", "watch", "--file", "a", "--listen", "1:2"], "exactly one"],
    [["audit", "watch", "--http", "127.0.0.1:0", "--tls-cert", "c"], "go together"],
    [["audit", "watch", "--file", "a", "--retention", "forever"], "--retention"],
    [["audit", "search", "audit.log", "--from", "yesterday"], "--from"],
    [["audit", "report", "audit.log"], "--compliance and/or --usage"],
    [["audit", "report", "audit.log", "--usage"], "--policy-file"],
    [["audit", "hash", "file-audit"], "--input-env is required"],
    [["audit", "hash", "file-audit", "--input-env", "UNSET_VAR"], "UNSET_VAR is not set"],
    [["audit", "device", "syslog", "x", "--stanza"], "type must be file or socket"],
    [["audit", "device", "file", "x", "--option", "nokey", "--stanza"], "key=value"],
    [["namespace", "delete", "acme"], "--confirm acme"],
    [["namespace", "delete", "acme", "--confirm", "acme2"], "--confirm acme"],
    [["namespace", "provision"], "give a tenant <name> or --tenants-file"],
    [["namespace", "provision", "--tenants-file", "ce.yaml"], "not available on the target Vault CE"],
    [["namespace", "quota", "acme"], "--rps is required"],
    [["namespace", "quota", "acme", "--rps", "-1"], "--rps"],
    [["namespace", "share", "a", "secret", "x"], "--grantee is required"],
    [["namespace", "explain"], "--token-env is required"],
  ])("%j → exit 2 (%s)", async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err.split("\n").filter((l) => l !== "")).toHaveLength(1);
  });

  it("prints the declarative stanza offline", async () => {
    const { code, out } = await run([
      "audit",
      "device",
      "file",
      "file-audit",
      "--option",
      "file_path=/var/log/openbao/audit.log",
      "--stanza",
    ]);
    expect(code).toBe(0);
    expect(out).toBe('audit "file" "file-audit" {\n  options {\n    file_path = "/var/log/openbao/audit.log"\n  }\n}\n');
  });
});
