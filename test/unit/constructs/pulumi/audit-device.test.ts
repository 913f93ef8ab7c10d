import { FileAuditDevice, SocketAuditDevice } from "../../../../constructs/pulumi/audit-device";
import { registered, settle, useMocks } from "./pulumi-harness";

describe("audit devices", () => {
  it("file and socket devices with their options as a verbatim map", async () => {
    await useMocks();
    const file = new FileAuditDevice("file", { filePath: "/var/log/vault/audit.log", mode: "0600" });
    const siem = new SocketAuditDevice("siem", { path: "siem", address: "siem:9090" });
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
});
