import { auditDeviceDescriptor, auditDeviceSchema } from "../../../../model/kinds/audit-device";

describe("governance descriptors", () => {
  it("audit devices: file and socket options as strings", () => {
    expect(
      auditDeviceDescriptor(auditDeviceSchema.parse({ type: "file", filePath: "/var/log/vault/audit.log", mode: "0600" }), { owner: "a" })
        .attributes,
    ).toEqual({
      type: "file",
      path: "file",
      local: false,
      options: { file_path: "/var/log/vault/audit.log", mode: "0600", format: "json" },
    });
    expect(
      auditDeviceDescriptor(
        auditDeviceSchema.parse({
          type: "socket",
          path: "siem",
          address: "siem.example.com:9090",
          writeTimeout: "5s",
          hmacAccessor: false,
        }),
        { owner: "a" },
      ).attributes,
    ).toEqual({
      type: "socket",
      path: "siem",
      local: false,
      options: { address: "siem.example.com:9090", socket_type: "tcp", write_timeout: "5s", format: "json", hmac_accessor: "false" },
    });
    expect(auditDeviceSchema.safeParse({ type: "syslog" }).success).toBe(false);
  });
});
