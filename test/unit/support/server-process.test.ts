import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ServerProcess } from "../../support/server-process";

describe("ServerProcess", () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "vaultsmith-proc-"));
  });

  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("keeps output with credential lines and known secrets redacted", async () => {
    const script = "echo 'Unseal Key: c2VjcmV0LWtleQ=='; echo 'Root Token: hvs.abc'; echo 'listening with s3cr3t-value inside'";
    const proc = new ServerProcess({ binary: "/bin/sh", args: ["-c", script], home, secrets: ["s3cr3t-value"] });
    expect(await proc.exited).toBe(0);
    const out = proc.output();
    expect(out).toContain("Unseal Key: <redacted>");
    expect(out).toContain("Root Token: <redacted>");
    expect(out).toContain("listening with <redacted> inside");
    expect(out).not.toMatch(/c2VjcmV0|hvs\.abc|s3cr3t/);
  });

  it("does not pass the parent's VAULT_ or BAO_ variables on", async () => {
    process.env.VAULT_ADDR = "https://prod.example:8200";
    try {
      const proc = new ServerProcess({ binary: "/bin/sh", args: ["-c", 'echo "addr=[$VAULT_ADDR] home=[$HOME]"'], home });
      await proc.exited;
      expect(proc.output()).toContain(`addr=[] home=[${home}]`);
    } finally {
      delete process.env.VAULT_ADDR;
    }
  });

  it("escalates to SIGKILL when the process ignores SIGTERM", async () => {
    const proc = new ServerProcess({ binary: "/bin/sh", args: ["-c", "trap '' TERM; echo ready; while :; do sleep 0.1; done"], home });
    while (!proc.output().includes("ready")) await new Promise((r) => setTimeout(r, 20));
    await proc.stop("SIGTERM", 300);
    expect(proc.isRunning).toBe(false);
  });
});
