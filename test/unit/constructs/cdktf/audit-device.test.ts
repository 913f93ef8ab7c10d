import { FileAuditDevice, SocketAuditDevice } from "../../../../constructs/cdktf/audit-device";
import { resourcesOf, synth } from "./synth-helpers";

describe("audit devices", () => {
  it("file and socket devices with string options", () => {
    const json = synth((stack) => {
      new FileAuditDevice(stack, "file", { filePath: "/var/log/vault/audit.log", mode: "0600" });
      new SocketAuditDevice(stack, "siem", {
        path: "siem",
        address: "siem.example.com:9090",
        socketType: "udp",
        writeTimeout: "5s",
        description: "to the SIEM",
      });
    });
    const devices = Object.fromEntries(resourcesOf(json, "vault_audit").map((d) => [d.path, d]));
    expect(devices.file).toEqual({
      type: "file",
      path: "file",
      local: false,
      options: { file_path: "/var/log/vault/audit.log", mode: "0600", format: "json" },
    });
    expect(devices.siem).toEqual({
      type: "socket",
      path: "siem",
      description: "to the SIEM",
      local: false,
      options: { address: "siem.example.com:9090", socket_type: "udp", write_timeout: "5s", format: "json" },
    });
  });

  it("validates the file mode", () => {
    expect(() => synth((stack) => new FileAuditDevice(stack, "f", { filePath: "/x", mode: "rw" }))).toThrow(
      /FileAuditDevice\(f\)\.mode: expected an octal file mode/,
    );
  });
});
