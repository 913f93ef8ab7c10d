import { FileAuditDevice, SocketAuditDevice } from "../../../../constructs/cdktf/audit-device";
import { Namespace } from "../../../../constructs/cdktf/namespace";
import { OPENBAO, VAULT_CE, VAULT_ENTERPRISE, resourcesOf, synth } from "./synth-helpers";

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
    }, VAULT_CE);
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
    expect(() => synth((stack) => new FileAuditDevice(stack, "f", { filePath: "/x", mode: "rw" }), VAULT_CE)).toThrow(
      /FileAuditDevice\(f\)\.mode: expected an octal file mode/,
    );
  });

  it("is refused on OpenBao, which only takes audit devices from its server configuration", () => {
    expect(() => synth((stack) => new FileAuditDevice(stack, "f", { filePath: "/x" }), OPENBAO)).toThrow(
      /api-audit-devices are not available on the target OpenBao 2\.6\.1: OpenBao refuses audit devices created through the API; declare them in the server configuration/,
    );
  });

  it("is refused inside a namespace (sys/audit is root-namespace only) and never carries one", () => {
    expect(() =>
      synth((stack) => new FileAuditDevice(new Namespace(stack, "team", { path: "team" }), "f", { filePath: "/x" }), VAULT_ENTERPRISE),
    ).toThrow(/FileAuditDevice\(team\/f\): audit devices live in the root namespace only/);
    const json = synth((stack) => new FileAuditDevice(stack, "f", { filePath: "/x" }), VAULT_ENTERPRISE);
    expect(resourcesOf(json, "vault_audit")[0]).not.toHaveProperty("namespace");
  });
});
