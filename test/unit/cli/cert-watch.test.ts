import { AfterRenewalError, managedSpec, runAfterRenewal } from "../../../cli/cert-watch";
import { WatchedCertificate } from "../../../cli/cert-watch-config";
import { CliIo } from "../../../cli/cli-io";

const node = process.execPath;

describe("the after-renewal command", () => {
  it("resolves when the program exits 0", async () => {
    await expect(runAfterRenewal({ command: [node, "-e", "process.exit(0)"], timeoutMs: 10_000 })).resolves.toBeUndefined();
  });

  it("rejects with the exit code and the last line the program wrote to stderr", async () => {
    const failure = runAfterRenewal({
      command: [node, "-e", "console.error('first'); console.error('error: keystore was tampered with'); process.exit(3)"],
      timeoutMs: 10_000,
    });
    await expect(failure).rejects.toBeInstanceOf(AfterRenewalError);
    await expect(failure).rejects.toThrow(/^after_renewal command ".*" failed \(3\): error: keystore was tampered with$/);
  });

  it("rejects when the program runs past its timeout, or does not exist", async () => {
    await expect(runAfterRenewal({ command: [node, "-e", "setTimeout(() => {}, 10000)"], timeoutMs: 200 })).rejects.toThrow(
      "timed out after 200 ms",
    );
    await expect(runAfterRenewal({ command: ["/nonexistent/nodetool", "reloadssl"], timeoutMs: 1_000 })).rejects.toThrow(
      /"\/nonexistent\/nodetool reloadssl" failed \(ENOENT\)/,
    );
  });

  it("runs on renewals only: the first certificate is written before the service runs on it", async () => {
    const watched: WatchedCertificate = {
      name: "node",
      roleKey: "server",
      role: "server-cert",
      request: { common_name: "n1.example.com" },
      purpose: "server",
      key: "vault",
      pem: undefined,
      pkcs12: undefined,
      afterRenewal: { command: [node, "-e", "process.exit(7)"], timeoutMs: 10_000 },
    };
    const spec = managedSpec({ env: {} } as unknown as CliIo, watched);
    const deliver = spec.onCertificate!;
    await expect(Promise.resolve(deliver({} as never))).resolves.toBeUndefined();
    await expect(Promise.resolve(deliver({} as never))).rejects.toThrow("failed (7)");
    await expect(Promise.resolve(deliver({} as never))).rejects.toThrow("failed (7)");
    expect(managedSpec({ env: {} } as unknown as CliIo, { ...watched, afterRenewal: undefined }).onCertificate).toBeUndefined();
  });
});
