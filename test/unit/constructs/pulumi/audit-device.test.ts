import { FileAuditDevice, SocketAuditDevice } from "../../../../constructs/pulumi/audit-device";
import { VaultStack } from "../../../../constructs/pulumi/vault-stack";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("audit devices", () => {
  it("file and socket devices with their options as a verbatim map", async () => {
    await useMocks();
    const stack = new VaultStack("s", { target: { edition: "vault-ce", version: "1.21.4" } });
    const file = new FileAuditDevice("file", { filePath: "/var/log/vault/audit.log", mode: "0600" }, { parent: stack });
    const siem = new SocketAuditDevice("siem", { path: "siem", address: "siem:9090" }, { parent: stack });
    await settle();
    expect([file.path, siem.path]).toEqual(["file", "siem"]);
    const byName = new Map(registered().map((r) => [r.name, r.inputs]));
    expect(byName.get("file-device")).toMatchObject({
      type: "file",
      path: "file",
      options: { file_path: "/var/log/vault/audit.log", mode: "0600" },
    });
    expect(byName.get("siem-device")).toMatchObject({ type: "socket", path: "siem", options: { address: "siem:9090" } });
  });

  it("is refused on OpenBao (config-based audit devices only) before anything is registered", async () => {
    await useMocks();
    const stack = new VaultStack("s", { target: { edition: "openbao", version: "2.6.1" } });
    expect(() => new FileAuditDevice("file", { filePath: "/x" }, { parent: stack })).toThrow(
      /api-audit-devices are not available on the target OpenBao 2\.6\.1: OpenBao refuses audit devices created through the API/,
    );
  });
});
